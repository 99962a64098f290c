import { ProcessingError, type StreamRecord } from 'rx-kstreams';

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

/**
 * The error a runner's error handler sees when a callback of the node named `nodeName`
 * throws `cause` for the record at `offset` of orders/0: what an operator errors with too.
 */
export const failedAt = (nodeName: string, cause: unknown, offset = 0): ProcessingError =>
  new ProcessingError({ nodeName, topic: 'orders', partition: 0, offset: String(offset), cause });
