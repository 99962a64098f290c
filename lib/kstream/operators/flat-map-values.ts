import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { thenRecords } from '../../topology/eventual';
import { iterate } from '../iterate';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Turns each record into zero or more records with the same key, one per value that `fn`
 * returns (an array or any iterable, or a Promise of one). Node kind `FLATMAPVALUES`.
 *
 * @example
 * stream.pipe(flatMapValues((sentence) => sentence.split(' ')));
 */
export const flatMapValues = <K, V, V2>(
  fn: (
    value: V,
    record: StreamRecord<K, V>,
    context: RecordContext,
  ) => Iterable<V2> | Promise<Iterable<V2>>,
  options?: NodeOptions,
): StreamOperator<K, V, K, V2> =>
  stepOperator('FLATMAPVALUES', options, (record, context) =>
    thenRecords(fn(record.value, record, context), (values) =>
      iterate(values, 'flatMapValues', (value): StreamRecord<K, V2> => ({ ...record, value })),
    ),
  );
