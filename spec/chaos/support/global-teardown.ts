import { rmSync } from 'node:fs';
import { CHAOS_BROKER, kafkaScript } from './chaos-broker';

export default async (): Promise<void> => {
  await kafkaScript('stop');
  rmSync(CHAOS_BROKER.dataDir, { recursive: true, force: true });
};
