import type { StreamRecord } from '../../record/stream-record';
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
  fn: (value: V, record: StreamRecord<K, V>) => Iterable<V2> | Promise<Iterable<V2>>,
  options?: NodeOptions,
): StreamOperator<K, V, K, V2> =>
  stepOperator('FLATMAPVALUES', options, (record) =>
    thenRecords(fn(record.value, record), (values) =>
      iterate(values, 'flatMapValues', (value): StreamRecord<K, V2> => ({ ...record, value })),
    ),
  );
