import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import { thenRecords } from '../../topology/eventual';
import type { NodeOptions } from '../node-options';
import { type StreamOperator, stepOperator } from '../stream-operator';

/**
 * Runs `fn` for each record and passes the record on unchanged, after `fn` (or its
 * Promise) is done; what `fn` returns or resolves with is ignored, so any async function
 * fits (`peek(async (k, v) => db.insert(v))`). Node kind `PEEK`.
 *
 * @example
 * stream.pipe(peek((key, value) => log.debug('order', { key, value })));
 */
export const peek = <K, V>(
  fn: (key: K, value: V, record: StreamRecord<K, V>, context: RecordContext) => unknown,
  options?: NodeOptions,
): StreamOperator<K, V, K, V> =>
  stepOperator('PEEK', options, (record, context) =>
    thenRecords(fn(record.key, record.value, record, context), () => record),
  );
