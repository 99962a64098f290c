import type { Logger } from '../../logger/logger';
import type { StreamRecord } from '../../record/stream-record';
import { compiledOperator } from '../../topology/compiled-operator';
import type { ProcessorKind, ProcessorNode } from '../../topology/operator-node';
import type { ProcessorSupplier } from '../../topology/processor';
import type { TaskInfo } from '../../topology/topology-task';
import type { NodeOptions } from '../node-options';
import type { StreamOperator } from '../stream-operator';
import { ConfigError } from '../../errors/config-error';

/**
 * Options of `process`. `logger` and `task` serve the standalone RxJS operator only; in a
 * topology the context gets the task's own (from `Topology.createTask`).
 *
 * @example
 * of(record).pipe(process(supplier, { logger: consoleLogger('debug') }));
 */
export interface ProcessOptions extends NodeOptions {
  /**
   * The state stores the processor uses (`context.stateStore(name)`), each declared with
   * `builder.addStateStore(...)`: `build()` refuses a name that is not.
   */
  readonly stores?: readonly string[] | undefined;
  readonly logger?: Logger | undefined;
  readonly task?: TaskInfo | undefined;
}

const checkedStores = (stores: unknown): readonly string[] => {
  if (!Array.isArray(stores) || stores.some((s) => typeof s !== 'string' || s === '')) {
    throw new ConfigError('process stores', "must be an array of store names, e.g. ['counts']");
  }
  return Object.freeze([...new Set(stores as string[])]);
};

/**
 * A custom processor node: `supplier` makes a {@link Processor} whose `process(record)`
 * may forward any number of records (through the context it got in `init`). A topology
 * makes one instance per task and closes it with the task. Node kind `PROCESSOR`.
 *
 * As a standalone RxJS operator it runs the same compiled node: each subscription gets its
 * own instance (init on subscribe, close on complete, error or unsubscribe), the forwarded
 * records are emitted once `process()` is done, and its only child is the operator's output
 * (named `downstream`, for `forwardTo`).
 *
 * @example
 * const dedupe = (): Processor<string, Order> => {
 *   const seen = new Set<string>();
 *   let context: ProcessorContext<string, Order>;
 *   return {
 *     init: (c) => { context = c; },
 *     process: (record) => {
 *       if (!seen.has(record.key)) context.forward(record);
 *       seen.add(record.key);
 *     },
 *   };
 * };
 * stream.pipe(process(dedupe, { name: 'dedupe' }));
 */
export const process = <K, V, K2 = K, V2 = V>(
  supplier: ProcessorSupplier<K, V, K2, V2>,
  options?: ProcessOptions,
): StreamOperator<K, V, K2, V2> => processOfKind('PROCESSOR', supplier, options);

/**
 * A processor node of another kind than `PROCESSOR`: how the DSL's stateful operations
 * (`count`, `aggregate`, `reduce`, `builder.table`) are made. Internal.
 *
 * @example
 * stream.pipe(processOfKind('AGGREGATE', counting, { stores: ['counts'] }));
 */
export const processOfKind = <K, V, K2 = K, V2 = V>(
  kind: ProcessorKind,
  supplier: ProcessorSupplier<K, V, K2, V2>,
  options?: ProcessOptions,
): StreamOperator<K, V, K2, V2> => {
  const node: ProcessorNode<K, V, K2, V2> = {
    _tag: 'Processor',
    kind,
    name: options?.name,
    supplier,
    ...(options?.stores === undefined ? {} : { stores: checkedStores(options.stores) }),
  };
  const operator = compiledOperator<StreamRecord<K, V>, StreamRecord<K2, V2>>(node, {
    name: options?.name ?? kind,
    logger: options?.logger,
    task: options?.task,
  });
  return Object.assign(operator, { node });
};
