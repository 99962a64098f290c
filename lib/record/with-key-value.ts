import type { StreamRecord } from './stream-record';

/**
 * `record` with another key and value: every field written out, so each record a step makes
 * has the same shape (a spread copies property by property, and this runs per record per
 * step).
 *
 * @example
 * withKeyValue(record, record.key, record.value * 2);
 */
export const withKeyValue = <K, V>(
  record: StreamRecord<unknown, unknown>,
  key: K,
  value: V,
): StreamRecord<K, V> => ({
  key,
  value,
  topic: record.topic,
  partition: record.partition,
  offset: record.offset,
  timestamp: record.timestamp,
  headers: record.headers,
});
