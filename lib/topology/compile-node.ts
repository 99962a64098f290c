import {
  concat,
  concatMap,
  defer,
  EMPTY,
  finalize,
  from,
  ignoreElements,
  mergeMap,
  type Observable,
  throwError,
} from 'rxjs';
import { ProcessingError } from '../errors/processing-error';
import { fromCallback } from '../kstream/from-callback';
import type { Processor } from '../kstream/processor';
import type { ProcessorContext } from '../kstream/processor-context';
import type { Logger } from '../logger/logger';
import type { StreamRecord } from '../record/stream-record';
import type { GraphNode } from './graph-node';
import { failAt, processingFailure } from './processing-failure';
import { runSerde } from './run-serde';
import type { RecordSink, TaskInfo } from './topology-task';

type AnyRecord = StreamRecord<unknown, unknown>;
type Node<Tag extends GraphNode['_tag']> = Extract<GraphNode, { _tag: Tag }>;

/**
 * Runs one record through a node and everything below it; completes when all is done.
 *
 * @example
 * const push: Push = (record, sink) => node.run(record);
 */
export type Push = (record: AnyRecord, sink: RecordSink) => Observable<never>;

/**
 * A processor instance of a task, to be closed with it.
 *
 * @example
 * env.opened.push({ nodeName: node.name, processor });
 */
export interface OpenProcessor {
  readonly nodeName: string;
  readonly processor: Processor<unknown, unknown, unknown, unknown>;
}

/**
 * What compiling needs: the task, its logger, and where to record the processors it opens.
 *
 * @example
 * const env: CompileEnv = { task: info, logger: noopLogger, opened: [] };
 */
export interface CompileEnv {
  readonly task: TaskInfo;
  readonly logger: Logger;
  readonly opened: OpenProcessor[];
}

interface Compiled {
  readonly node: GraphNode;
  readonly push: Push;
}

// Children in order, each done with the record before the next starts: deterministic output.
const pushAll = (
  children: readonly Compiled[],
  record: AnyRecord,
  sink: RecordSink,
): Observable<never> =>
  children.length === 1
    ? children[0]!.push(record, sink)
    : from(children).pipe(concatMap((child) => child.push(record, sink)));

// A source is only ever pushed raw records: key and value are bytes or null.
const sourcePush =
  (node: Node<'Source'>, children: readonly Compiled[]): Push =>
  (raw, sink) =>
    defer(() => {
      const site = { serdeTopic: raw.topic, record: raw, nodeName: node.name } as const;
      const deserialize = { ...site, direction: 'deserialize' } as const;
      const record: AnyRecord = {
        ...raw,
        key: runSerde(() => node.key.deserialize(raw.topic, raw.key as Buffer | null), {
          ...deserialize,
          target: 'key',
        }),
        value: runSerde(() => node.value.deserialize(raw.topic, raw.value as Buffer | null), {
          ...deserialize,
          target: 'value',
        }),
      };
      return pushAll(children, record, sink);
    });

const branchPush =
  (node: Node<'Branch'>, children: readonly Compiled[]): Push =>
  (record, sink) => {
    // KStream.branch adds route i and child i together: route i feeds children[i].
    const fallback = node.routes.findIndex((route) => route._tag === 'Default');
    const tryRoute = (index: number): Observable<never> => {
      const route = node.routes[index];
      const child = children[index];
      if (route === undefined || child === undefined) {
        return fallback === -1 ? EMPTY : children[fallback]!.push(record, sink);
      }
      if (route._tag === 'Default') return tryRoute(index + 1);
      return route.matches(record).pipe(
        failAt(child.node.name, record),
        concatMap((holds) => (holds ? child.push(record, sink) : tryRoute(index + 1))),
      );
    };
    return tryRoute(0);
  };

const sinkPush =
  (node: Node<'Sink'>): Push =>
  (record, sink) =>
    node.producerRecord(record, node.name).pipe(
      failAt(node.name, record),
      mergeMap((output) => {
        sink.send(output, node.name);
        return EMPTY;
      }),
    );

interface Forwarded {
  readonly to: readonly Compiled[];
  readonly record: AnyRecord;
}

const processorPush = (
  node: Node<'Processor'>,
  children: readonly Compiled[],
  env: CompileEnv,
): Push => {
  const processor = node.supplier();
  let inFlight: Forwarded[] | undefined;
  const forwardTo = (to: readonly Compiled[], record: AnyRecord): void => {
    if (inFlight === undefined)
      throw new Error(`processor ${node.name} called forward() outside process()`);
    inFlight.push({ to, record });
  };
  const context: ProcessorContext<unknown, unknown> = {
    nodeName: node.name,
    task: env.task,
    logger: env.logger,
    forward: (record) => forwardTo(children, record),
    forwardTo: (childName, record) => {
      const child = children.find((compiled) => compiled.node.name === childName);
      if (child === undefined) {
        const names = children.map((compiled) => compiled.node.name).join(', ');
        throw new Error(
          `processor ${node.name} has no child named "${childName}" (its children: ${names})`,
        );
      }
      forwardTo([child], record);
    },
  };
  processor.init?.(context);
  env.opened.push({ nodeName: node.name, processor });
  return (record, sink) =>
    defer(() => {
      if (inFlight !== undefined) {
        const overlap = new Error(
          `processor ${node.name} got a record while still processing another; a task processes one record at a time`,
        );
        return throwError(() => processingFailure(overlap, node.name, record));
      }
      const forwarded: Forwarded[] = [];
      inFlight = forwarded;
      return concat(
        fromCallback(() => processor.process(record)).pipe(
          ignoreElements(),
          failAt(node.name, record),
        ),
        defer(() => {
          inFlight = undefined;
          return from(forwarded).pipe(concatMap((f) => pushAll(f.to, f.record, sink)));
        }),
      ).pipe(
        finalize(() => {
          if (inFlight === forwarded) inFlight = undefined;
        }),
      );
    });
};

const nodePush = (node: GraphNode, children: readonly Compiled[], env: CompileEnv): Push => {
  switch (node._tag) {
    case 'Source':
      return sourcePush(node, children);
    case 'Step':
      return (record, sink) =>
        node.step(record).pipe(
          failAt(node.name, record),
          concatMap((out) => pushAll(children, out, sink)),
        );
    case 'Processor':
      return processorPush(node, children, env);
    case 'Branch':
      return branchPush(node, children);
    case 'BranchChild':
      return (record, sink) => pushAll(children, record, sink);
    case 'Sink':
      return sinkPush(node);
    case 'ForEach':
      return (record) => node.run(record).pipe(failAt(node.name, record));
  }
};

/**
 * Makes one task's runnable form of a node and its tree: processors are made (the
 * supplier called once) and initialised, parents before children. A supplier or `init`
 * that throws makes this throw a ProcessingError naming the node. Internal.
 *
 * @example
 * const push = compileNode(source, { task, logger, opened: [] });
 * push(raw, sink).subscribe();
 */
export const compileNode = (node: GraphNode, env: CompileEnv): Push => {
  // The node is made before its children; its push reads their pushes when it runs.
  const children: Compiled[] = [];
  let push: Push;
  try {
    push = nodePush(node, children, env);
  } catch (error) {
    throw new ProcessingError({ nodeName: node.name, cause: error });
  }
  for (const child of node.children) children.push({ node: child, push: compileNode(child, env) });
  return push;
};
