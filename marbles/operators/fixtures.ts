import type { StreamRecord } from 'rx-kstreams';

/** A record of topic `orders`, partition 0, for marble values. */
export const record = <K, V>(key: K, value: V, offset = 0): StreamRecord<K, V> => ({
  key,
  value,
  topic: 'orders',
  partition: 0,
  offset: String(offset),
  timestamp: 1_000,
  headers: {},
});

/** Resolves after `ms` real milliseconds: for the async-callback tests outside virtual time. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
