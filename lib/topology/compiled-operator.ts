import {
  concatMap,
  defer,
  finalize,
  Observable,
  type OperatorFunction,
  type Subscriber,
} from 'rxjs';
import { type Logger, noopLogger } from '../logger/logger';
import type { StreamRecord } from '../record/stream-record';
import { closeQuietly } from './close-processor';
import { type Compiled, compileWith, type OpenProcessor } from './compile-node';
import type { GraphNode } from './graph-node';
import type { OperatorNode, TerminalNode } from './operator-node';
import { pushWithSignal } from './push-with-signal';
import type { TaskInfo } from './topology-task';

type AnyRecord = StreamRecord<unknown, unknown>;

/**
 * Where an operator run on its own (not in a topology) gets what a task would give it.
 *
 * @example
 * const options: StandaloneOptions = { name: 'dedupe', logger: consoleLogger('debug') };
 */
export interface StandaloneOptions {
  /** The node name (default: the node kind, e.g. `FILTER`). */
  readonly name?: string | undefined;
  /** The processor context's logger (default: nothing). */
  readonly logger?: Logger | undefined;
  /** The processor context's task (default: none). */
  readonly task?: TaskInfo | undefined;
}

/** A sink has no producer outside a topology: what it would send is dropped. */
/** A standalone operator's sink sends nowhere: it emits the records instead. */
const noSend = (): void => undefined;

/** The name of the child that hands an operator's records to its subscriber. */
const DOWNSTREAM = 'downstream';

/**
 * An operator's RxJS form, running the node exactly as a topology runs it (the same
 * compiled step, the same error locations): every subscription compiles the node once
 * (a processor is made and initialised then, and closed when the subscription ends), and
 * pushes each record through it in order (`concatMap` semantics: the next record starts
 * when the previous one is done, even when a callback is async). Failures error the
 * stream with the located ProcessingError or SerdeError a runner's error handler sees.
 * A terminal node (a sink, a forEach) emits nothing. Internal.
 *
 * @example
 * const operator = compiledOperator<In, Out>(node, { name: options?.name });
 * of(record).pipe(operator).subscribe(console.log);
 */
export const compiledOperator =
  <In, Out>(
    spec: OperatorNode<never, never, unknown, unknown> | TerminalNode<never, never>,
    options: StandaloneOptions = {},
  ): OperatorFunction<In, Out> =>
  (source) =>
    defer(() => {
      const logger = options.logger ?? noopLogger;
      const opened: OpenProcessor[] = [];
      const node = { ...spec, name: options.name ?? spec.name ?? spec.kind, children: [] };
      let current: Subscriber<Out> | undefined;
      const downstream: Compiled = {
        node: { name: DOWNSTREAM },
        push: (record) => {
          current?.next(record as Out);
          return undefined;
        },
      };
      const terminal = spec._tag === 'Sink' || spec._tag === 'ForEach';
      const push = compileWith(node as unknown as GraphNode, terminal ? [] : [downstream], {
        task: options.task,
        logger,
        opened,
        standalone: true,
      });
      // The downstream child emits to the record's subscriber; the push itself emits nothing,
      // and fails (thrown now, or later) where the topology's would.
      const pushOne = (record: In): Observable<Out> =>
        new Observable<Out>((subscriber) => {
          current = subscriber;
          return pushWithSignal((sink) => push(record as AnyRecord, sink), noSend).subscribe(
            subscriber,
          );
        });
      return source.pipe(
        concatMap(pushOne),
        finalize(() => {
          current = undefined;
          for (const { nodeName, processor } of opened) closeQuietly(processor, logger, nodeName);
        }),
      );
    });
