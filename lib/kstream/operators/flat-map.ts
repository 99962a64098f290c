import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { thenRecords } from '../../topology/eventual';
import { iterate } from '../iterate';
import type { KeyValue } from '../key-value';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Turns each record into zero or more records, one per `{ key, value }` that `fn` returns
 * (an array or any iterable, or a Promise of one). Each output keeps the input's topic,
 * partition, offset, timestamp and headers. Node kind `FLATMAP`.
 *
 * @example
 * stream.pipe(flatMap((_key, order) => order.lines.map((line) => ({ key: line.sku, value: line }))));
 */
export const flatMap = <K, V, K2, V2>(
  fn: (
    key: K,
    value: V,
    record: StreamRecord<K, V>,
    context: RecordContext,
  ) => Iterable<KeyValue<K2, V2>> | Promise<Iterable<KeyValue<K2, V2>>>,
  options?: NodeOptions,
): StreamOperator<K, V, K2, V2> =>
  stepOperator('FLATMAP', options, (record, context) =>
    thenRecords(fn(record.key, record.value, record, context), (pairs) =>
      iterate(pairs, 'flatMap', (kv): StreamRecord<K2, V2> => ({
        ...record,
        key: kv.key,
        value: kv.value,
      })),
    ),
  );
