import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { isPromiseLike, NONE, thenRecords } from '../../topology/eventual';
import type { KeyValueCallback } from '../key-value-callback';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Keeps the records for which `predicate` holds. The predicate may return a Promise; a
 * type guard narrows the value type. Node kind `FILTER`.
 *
 * @example
 * stream.pipe(filter((_key, order) => order.total > 100, { name: 'big-orders' }));
 * stream.pipe(filter((_key, order): order is Order => order !== null)); // drops tombstones
 */
export function filter<K, V, V2 extends V>(
  predicate: (key: K, value: V, record: StreamRecord<K, V>, context: RecordContext) => value is V2,
  options?: NodeOptions,
): StreamOperator<K, V, K, V2>;
export function filter<K, V>(
  predicate: KeyValueCallback<K, V, boolean | Promise<boolean>>,
  options?: NodeOptions,
): StreamOperator<K, V, K, V>;
export function filter<K, V>(
  predicate: KeyValueCallback<K, V, boolean | Promise<boolean>>,
  options?: NodeOptions,
): StreamOperator<K, V, K, V> {
  return stepOperator('FILTER', options, (record, context) => {
    const keep = predicate(record.key, record.value, record, context);
    // A plain boolean decides now, without a continuation closure per record.
    if (isPromiseLike(keep)) return thenRecords(keep, (later) => (later ? record : NONE));
    return keep ? record : NONE;
  });
}
