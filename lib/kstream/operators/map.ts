import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { withKeyValue } from '../../record/with-key-value';
import { thenRecords } from '../../topology/eventual';
import type { KeyValue } from '../key-value';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Replaces each record's key and value with the `{ key, value }` that `fn` returns (or
 * resolves to). Topic, partition, offset, timestamp and headers stay. Node kind `MAP`.
 *
 * @example
 * stream.pipe(map((_key, order) => ({ key: order.customerId, value: order.total })));
 */
export const map = <K, V, K2, V2>(
  fn: (
    key: K,
    value: V,
    record: StreamRecord<K, V>,
    context: RecordContext,
  ) => KeyValue<K2, V2> | Promise<KeyValue<K2, V2>>,
  options?: NodeOptions,
): StreamOperator<K, V, K2, V2> =>
  stepOperator('MAP', options, (record, context) =>
    thenRecords(fn(record.key, record.value, record, context), (kv) =>
      withKeyValue<K2, V2>(record, kv.key, kv.value),
    ),
  );
