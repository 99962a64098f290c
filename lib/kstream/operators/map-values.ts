import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { withKeyValue } from '../../record/with-key-value';
import { isPromiseLike, thenRecords } from '../../topology/eventual';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Replaces each record's value with what `fn` returns (or resolves to); the key stays.
 * Node kind `MAPVALUES`.
 *
 * @example
 * stream.pipe(mapValues((order) => order.total * 1.2));
 */
export const mapValues = <K, V, V2>(
  fn: (value: V, record: StreamRecord<K, V>, context: RecordContext) => V2 | Promise<V2>,
  options?: NodeOptions,
): StreamOperator<K, V, K, V2> =>
  stepOperator('MAPVALUES', options, (record, context) => {
    const value = fn(record.value, record, context);
    // A plain value makes the record now, without a continuation closure per record.
    return isPromiseLike(value)
      ? thenRecords(value, (later) => withKeyValue(record, record.key, later))
      : withKeyValue(record, record.key, value);
  });
