import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { NONE, thenRecords } from '../../topology/eventual';
import type { KeyValueCallback } from '../key-value-callback';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Drops the records for which `predicate` holds. The predicate may return a Promise; a
 * type guard removes its type from the value type. Node kind `FILTERNOT`.
 *
 * @example
 * stream.pipe(filterNot((_key, value): value is null => value === null)); // drop tombstones
 */
export function filterNot<K, V, V2 extends V>(
  predicate: (key: K, value: V, record: StreamRecord<K, V>, context: RecordContext) => value is V2,
  options?: NodeOptions,
): StreamOperator<K, V, K, Exclude<V, V2>>;
export function filterNot<K, V>(
  predicate: KeyValueCallback<K, V, boolean | Promise<boolean>>,
  options?: NodeOptions,
): StreamOperator<K, V, K, V>;
export function filterNot<K, V>(
  predicate: KeyValueCallback<K, V, boolean | Promise<boolean>>,
  options?: NodeOptions,
): StreamOperator<K, V, K, V> {
  return stepOperator('FILTERNOT', options, (record, context) =>
    thenRecords(predicate(record.key, record.value, record, context), (drop) =>
      drop ? NONE : record,
    ),
  );
}
