import { rmSync } from 'node:fs';
import { CHAOS_BROKER, kafkaScript } from './chaos-broker';

/** A fresh broker for the run: a leftover one (an aborted run) is stopped and its data removed. */
export default async (): Promise<void> => {
  await kafkaScript('stop');
  rmSync(CHAOS_BROKER.dataDir, { recursive: true, force: true });
  const ms = await kafkaScript('start');
  process.stdout.write(`\n[chaos] broker up on 127.0.0.1:${CHAOS_BROKER.port} in ${ms} ms\n`);
};
