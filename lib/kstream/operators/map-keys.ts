import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { thenRecords } from '../../topology/eventual';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Replaces each record's key with what `fn` returns (or resolves to); the value stays.
 * `fn` sees the value too, so it can re-key by a field (Kafka Streams' `selectKey`).
 * Node kind `MAPKEYS`.
 *
 * @example
 * stream.pipe(mapKeys((_key, order) => order.customerId));
 */
export const mapKeys = <K, V, K2>(
  fn: (key: K, value: V, record: StreamRecord<K, V>, context: RecordContext) => K2 | Promise<K2>,
  options?: NodeOptions,
): StreamOperator<K, V, K2, V> =>
  stepOperator('MAPKEYS', options, (record, context) =>
    thenRecords(fn(record.key, record.value, record, context), (key): StreamRecord<K2, V> => ({
      ...record,
      key,
    })),
  );
