import type { Admin } from 'kafkajs';
import { LazyConnection } from '../lazy-connection';

/**
 * A kafkajs admin, connected on first use (a failed connect is not kept).
 *
 * @example
 * const admin = connectedAdmin(() => kafka.admin());
 * const topics = await (await admin.get()).listTopics();
 */
export const connectedAdmin = (create: () => Admin): LazyConnection<Admin> =>
  new LazyConnection(
    async () => {
      const admin = create();
      await admin.connect();
      return admin;
    },
    (admin) => admin.disconnect(),
  );
