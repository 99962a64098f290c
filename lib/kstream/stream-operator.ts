import type { OperatorFunction } from 'rxjs';
import { compiledOperator } from '../topology/compiled-operator';
import type { Records } from '../topology/eventual';
import type { StreamRecord } from '../record/stream-record';
import type { RecordContext } from '../topology/record-context';
import type { OperatorNode, StepKind, StepNode, TerminalNode } from '../topology/operator-node';
import type { NodeOptions } from './node-options';
import { checkKnownKeys } from '../errors/known-keys';
import { NODE_OPTION_KEYS } from './node-options';

/**
 * An operator that passes records on: a plain RxJS `OperatorFunction` over stream records
 * that also carries the node it adds to a topology. The same value works in
 * `KStream.pipe(...)` and in `Observable.pipe(...)` (for marble tests), and both run the
 * same compiled node: what a marble test of the operator sees is what a runner does.
 *
 * @example
 * const positive: StreamOperator<string, number, string, number> = filter((_k, v) => v > 0);
 * of(record).pipe(positive).subscribe(console.log);
 */
export interface StreamOperator<K, V, K2, V2> extends OperatorFunction<
  StreamRecord<K, V>,
  StreamRecord<K2, V2>
> {
  readonly node: OperatorNode<K, V, K2, V2>;
}

/**
 * An operator that ends a stream (`to`, `forEach`): as an RxJS operator it consumes
 * records and emits none; in `KStream.pipe` it must come last.
 *
 * @example
 * const print: TerminalOperator<string, number> = forEach((k, v) => console.log(k, v));
 */
export interface TerminalOperator<K, V> extends OperatorFunction<StreamRecord<K, V>, never> {
  readonly node: TerminalNode<K, V>;
}

/**
 * Builds a stateless operator from its per-record step. Its RxJS form is the compiled node
 * ({@link compiledOperator}): records one at a time, so output order follows input order
 * even when a callback is async. Internal.
 *
 * @example
 * stepOperator<string, number, string, number>('PEEK', options, (r) => r);
 */
export const stepOperator = <K, V, K2, V2>(
  kind: StepKind,
  options: NodeOptions | undefined,
  step: (record: StreamRecord<K, V>, context: RecordContext) => Records<StreamRecord<K2, V2>>,
): StreamOperator<K, V, K2, V2> => {
  checkKnownKeys<NodeOptions>(kind.toLowerCase(), options, NODE_OPTION_KEYS);
  const node: StepNode<K, V, K2, V2> = { _tag: 'Step', kind, name: options?.name, step };
  const operator = compiledOperator<StreamRecord<K, V>, StreamRecord<K2, V2>>(node);
  return Object.assign(operator, { node });
};
