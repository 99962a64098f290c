import type { StreamRecord } from '../../record/stream-record';
import type { RecordContext } from '../../topology/record-context';
import type { ForEachNode } from '../../topology/operator-node';
import { compiledOperator } from '../../topology/compiled-operator';
import { thenValue } from '../../topology/eventual';
import type { NodeOptions } from '../node-options';
import type { TerminalOperator } from '../stream-operator';

/**
 * Ends a stream by running `fn` for each record; the record is done when `fn` (or its
 * Promise) is, and what it returns or resolves with is ignored. A terminal: nothing can be
 * piped after it. Node kind `FOREACH`.
 *
 * @example
 * stream.pipe(forEach(async (key, value) => { await audit.write(key, value); }));
 */
export const forEach = <K, V>(
  fn: (key: K, value: V, record: StreamRecord<K, V>, context: RecordContext) => unknown,
  options?: NodeOptions,
): TerminalOperator<K, V> => {
  const node: ForEachNode<K, V> = {
    _tag: 'ForEach',
    kind: 'FOREACH',
    name: options?.name,
    run: (record, context) =>
      thenValue(fn(record.key, record.value, record, context), () => undefined),
  };
  const operator = compiledOperator<StreamRecord<K, V>, never>(node);
  return Object.assign(operator, { node });
};
