import { concatMap, defer, finalize, type Observable } from 'rxjs';
import { type Logger, noopLogger } from '../../logger/logger';
import type { StreamRecord } from '../../record/stream-record';
import type { ProcessorNode } from '../../topology/operator-node';
import type { TaskInfo } from '../../topology/topology-task';
import { closeQuietly } from '../close-processor';
import { manyOf, thenRecords } from '../eventual';
import type { NodeOptions } from '../node-options';
import type { Processor, ProcessorSupplier } from '../processor';
import type { ProcessorContext } from '../processor-context';
import type { StreamOperator } from '../stream-operator';

/**
 * Options of `process`. `logger` and `task` serve the standalone RxJS operator only; in a
 * topology the context gets the task's own (from `Topology.createTask`).
 *
 * @example
 * of(record).pipe(process(supplier, { logger: consoleLogger('debug') }));
 */
export interface ProcessOptions extends NodeOptions {
  readonly logger?: Logger;
  readonly task?: TaskInfo;
}

const runStandalone = <K, V, K2, V2>(
  processor: Processor<K, V, K2, V2>,
  source: Observable<StreamRecord<K, V>>,
  options: ProcessOptions | undefined,
): Observable<StreamRecord<K2, V2>> => {
  const nodeName = options?.name ?? 'PROCESSOR';
  const logger = options?.logger ?? noopLogger;
  let forwarded: StreamRecord<K2, V2>[] | undefined;
  const context: ProcessorContext<K2, V2> = {
    nodeName,
    task: options?.task,
    logger,
    forward: (record) => {
      if (forwarded === undefined) {
        throw new Error(`processor ${nodeName} called forward() outside process()`);
      }
      forwarded.push(record);
    },
    forwardTo: (childName) => {
      throw new Error(
        `processor ${nodeName} called forwardTo('${childName}'), but a standalone process() operator has no named children; use forward()`,
      );
    },
  };
  processor.init?.(context);
  return source.pipe(
    concatMap((record) => {
      const out: StreamRecord<K2, V2>[] = [];
      forwarded = out;
      return manyOf(
        thenRecords(processor.process(record), () => {
          forwarded = undefined;
          return out;
        }),
      );
    }),
    finalize(() => {
      forwarded = undefined;
      closeQuietly(processor, logger, nodeName);
    }),
  );
};

/**
 * A custom processor node: `supplier` makes a {@link Processor} whose `process(record)`
 * may forward any number of records (through the context it got in `init`). A topology
 * makes one instance per task and closes it with the task. Node kind `PROCESSOR`.
 *
 * As a standalone RxJS operator, each subscription gets its own instance (init on
 * subscribe, close on complete, error or unsubscribe), and the forwarded records are
 * emitted once `process()` is done.
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
): StreamOperator<K, V, K2, V2> => {
  const node: ProcessorNode<K, V, K2, V2> = {
    _tag: 'Processor',
    kind: 'PROCESSOR',
    name: options?.name,
    supplier,
  };
  const operator = (source: Observable<StreamRecord<K, V>>): Observable<StreamRecord<K2, V2>> =>
    defer(() => runStandalone(supplier(), source, options));
  return Object.assign(operator, { node });
};
