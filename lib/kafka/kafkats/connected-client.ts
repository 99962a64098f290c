import type { KafkaClient } from '@kafkats/client';
import { LazyConnection } from '../lazy-connection';

/**
 * A side @kafkats/client client (lag queries, internal topics), connected on first use; a
 * client whose connect failed is disconnected (its sockets released) and not kept.
 *
 * @example
 * const lag = connectedClient(() => new KafkaClient({ brokers, clientId: 'lag' }));
 * const admin = (await lag.get()).admin();
 */
export const connectedClient = (create: () => KafkaClient): LazyConnection<KafkaClient> =>
  new LazyConnection(
    async () => {
      const client = create();
      try {
        await client.connect();
      } catch (error) {
        void client.disconnect().catch(() => undefined);
        throw error;
      }
      return client;
    },
    (client) => client.disconnect(),
  );
