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
} from 'rxjs';
import { ProcessingError } from '../errors/processing-error';
import { type Eventual, isLater, isPromiseLike } from './eventual';
import type { Processor } from './processor';
import type { ProcessorContext } from './processor-context';
import type { Logger } from '../logger/logger';
import type { StreamRecord } from '../record/stream-record';
import { withKeyValue } from '../record/with-key-value';
import type { GraphNode } from './graph-node';
import { failAt, processingFailure } from './processing-failure';
import { serdeFailureAt } from './serde-failure-at';
import { spanned } from './node-span';
import type { Pushed, RecordSink, TaskInfo } from './topology-task';
import type { TaskStore } from '../state/task-store';
import type { KeyValueStore } from '../state/key-value-store';

export type { Pushed } from './topology-task';

type AnyRecord = StreamRecord<unknown, unknown>;
type Node<Tag extends GraphNode['_tag']> = Extract<GraphNode, { _tag: Tag }>;

/**
 * Runs one record through a node and everything below it. A synchronous failure throws,
 * located (a ProcessingError or SerdeError naming the node); a later one errors the
 * Observable.
 *
 * @example
 * const push: Push = (record, sink) => node.run(record);
 */
export type Push = (record: AnyRecord, sink: RecordSink) => Pushed;

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
  /** Undefined for an operator run on its own, outside a topology. */
  readonly task: TaskInfo | undefined;
  readonly logger: Logger;
  readonly opened: OpenProcessor[];
  /** An operator run on its own: its one child is the operator's output, with no name to pick. */
  readonly standalone?: true;
  /** The task's state stores, by name (none outside a topology). */
  readonly stores?: ReadonlyMap<string, TaskStore> | undefined;
}

/**
 * A compiled child of a node: its name (for `forwardTo` and error locations) and its push.
 *
 * @example
 * const downstream: Compiled = { node: { name: 'out' }, push: (record) => emit(record) };
 */
export interface Compiled {
  readonly node: { readonly name: string };
  readonly push: Push;
}

/**
 * Runs `run` on each item in order, synchronously until one returns an Observable; the
 * remaining items then run after it completes.
 */
const inOrder = <T>(items: readonly T[], run: (item: T) => Pushed, start = 0): Pushed => {
  for (let i = start; i < items.length; i++) {
    const later = run(items[i]!);
    if (later !== undefined) {
      if (i + 1 === items.length) return later;
      return concat(
        later,
        defer(() => inOrder(items, run, i + 1) ?? EMPTY),
      );
    }
  }
  return undefined;
};

// Children in order, each done with the record before the next starts: deterministic output.
const pushAll = (children: readonly Compiled[], record: AnyRecord, sink: RecordSink): Pushed =>
  children.length === 1
    ? children[0]!.push(record, sink)
    : inOrder(children, (child) => child.push(record, sink));

const deserialize = (node: Node<'Source'>, raw: AnyRecord, target: 'key' | 'value'): unknown => {
  const serde = target === 'key' ? node.key : node.value;
  try {
    return serde.deserialize(raw.topic, raw[target] as Buffer | null);
  } catch (error) {
    throw serdeFailureAt(error, {
      serdeTopic: raw.topic,
      record: raw,
      nodeName: node.name,
      target,
      direction: 'deserialize',
    });
  }
};

// A source is only ever pushed raw records: key and value are bytes or null.
const sourcePush =
  (node: Node<'Source'>, children: readonly Compiled[]): Push =>
  (raw, sink) => {
    const key = deserialize(node, raw, 'key');
    const value = deserialize(node, raw, 'value');
    return pushAll(children, withKeyValue(raw, key, value), sink);
  };

const stepPush =
  (node: Node<'Step'>, children: readonly Compiled[]): Push =>
  (record, sink) => {
    let out;
    try {
      out = node.step(record, sink);
    } catch (error) {
      throw processingFailure(error, node.name, record);
    }
    if (Array.isArray(out)) {
      const now = out as readonly AnyRecord[];
      return now.length === 1
        ? pushAll(children, now[0]!, sink)
        : inOrder(now, (next) => pushAll(children, next, sink));
    }
    if (isLater(out as Eventual<AnyRecord>)) {
      return (out as Observable<AnyRecord>).pipe(
        failAt(node.name, record),
        concatMap((next) => pushAll(children, next, sink) ?? EMPTY),
      );
    }
    return pushAll(children, out as AnyRecord, sink);
  };

const branchPush =
  (node: Node<'Branch'>, children: readonly Compiled[]): Push =>
  (record, sink) => {
    // KStream.branch adds route i and child i together: route i feeds children[i].
    const tryRoute = (first: number): Pushed => {
      for (let index = first; index < node.routes.length; index++) {
        const route = node.routes[index]!;
        const child = children[index]!;
        if (route._tag === 'Default') continue;
        let holds;
        try {
          holds = route.matches(record, sink);
        } catch (error) {
          throw processingFailure(error, child.node.name, record);
        }
        if (isPromiseLike(holds)) {
          return from(holds).pipe(
            failAt(child.node.name, record),
            concatMap((yes) => (yes ? child.push(record, sink) : tryRoute(index + 1)) ?? EMPTY),
          );
        }
        if (holds) return child.push(record, sink);
      }
      const fallback = node.routes.findIndex((route) => route._tag === 'Default');
      return fallback === -1 ? undefined : children[fallback]!.push(record, sink);
    };
    return tryRoute(0);
  };

const sinkPush =
  (node: Node<'Sink'>): Push =>
  (record, sink) => {
    let output;
    try {
      output = node.producerRecord(record, node.name);
    } catch (error) {
      throw processingFailure(error, node.name, record);
    }
    if (isLater(output)) {
      return output.pipe(
        failAt(node.name, record),
        mergeMap((later) => {
          sink.send(later, node.name);
          return EMPTY;
        }),
      );
    }
    sink.send(output, node.name);
    return undefined;
  };

const forEachPush =
  (node: Node<'ForEach'>): Push =>
  (record, sink) => {
    let done;
    try {
      done = node.run(record, sink);
    } catch (error) {
      throw processingFailure(error, node.name, record);
    }
    return isLater(done) ? done.pipe(ignoreElements(), failAt(node.name, record)) : undefined;
  };

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
  let forwarding: Forwarded[] | undefined;
  /** The sink of the record `process()` is working on: where store writes go. */
  let processing: RecordSink | undefined;
  const connected = new Set(node.stores ?? []);
  const views = new Map<string, KeyValueStore<unknown, unknown>>();
  const stateStore = (name: string): KeyValueStore<unknown, unknown> => {
    const store = env.stores?.get(name);
    if (store === undefined && env.standalone === true) {
      throw new Error(
        `processor ${node.name} asked for state store "${name}", but a standalone process() operator has no stores; run it in a topology`,
      );
    }
    if (store === undefined || !connected.has(name)) {
      throw new Error(
        `processor ${node.name} asked for state store "${name}", which is not connected to it: declare it with builder.addStateStore(Stores.keyValueStore('${name}', ...)) and connect it with process(supplier, { stores: ['${name}'] })`,
      );
    }
    let view = views.get(name);
    if (view === undefined) {
      view = store.view(node.name, () => processing);
      views.set(name, view);
    }
    return view;
  };
  const forwardTo = (to: readonly Compiled[], record: AnyRecord): void => {
    if (forwarding === undefined)
      throw new Error(`processor ${node.name} called forward() outside process()`);
    forwarding.push({ to, record });
  };
  const context: ProcessorContext<unknown, unknown> = {
    nodeName: node.name,
    task: env.task,
    logger: env.logger,
    forward: (record) => forwardTo(children, record),
    forwardTo: (childName, record) => {
      const child = children.find((compiled) => compiled.node.name === childName);
      if (child === undefined && env.standalone === true) {
        throw new Error(
          `processor ${node.name} called forwardTo('${childName}'), but a standalone process() operator has no named children; use forward()`,
        );
      }
      if (child === undefined) {
        const names = children.map((compiled) => compiled.node.name).join(', ');
        throw new Error(
          `processor ${node.name} has no child named "${childName}" (its children: ${names})`,
        );
      }
      forwardTo([child], record);
    },
    stateStore: <SK, SV>(name: string) => stateStore(name) as KeyValueStore<SK, SV>,
  };
  processor.init?.(context);
  env.opened.push({ nodeName: node.name, processor });
  const forwardAll = (forwarded: readonly Forwarded[], sink: RecordSink): Pushed =>
    inOrder(forwarded, (f) => pushAll(f.to, f.record, sink));
  return (record, sink) => {
    if (forwarding !== undefined) {
      const overlap = new Error(
        `processor ${node.name} got a record while still processing another; a task processes one record at a time`,
      );
      throw processingFailure(overlap, node.name, record);
    }
    const forwarded: Forwarded[] = [];
    forwarding = forwarded;
    processing = sink;
    let result;
    try {
      result = processor.process(record, sink);
    } catch (error) {
      forwarding = undefined;
      processing = undefined;
      throw processingFailure(error, node.name, record);
    }
    if (!isPromiseLike(result)) {
      forwarding = undefined;
      processing = undefined;
      return forwardAll(forwarded, sink);
    }
    return concat(
      from(result).pipe(ignoreElements(), failAt(node.name, record)),
      defer(() => {
        forwarding = undefined;
        processing = undefined;
        return forwardAll(forwarded, sink) ?? EMPTY;
      }),
    ).pipe(
      finalize(() => {
        if (forwarding === forwarded) {
          forwarding = undefined;
          processing = undefined;
        }
      }),
    );
  };
};

const nodePush = (node: GraphNode, children: readonly Compiled[], env: CompileEnv): Push => {
  switch (node._tag) {
    case 'Source':
      return sourcePush(node, children);
    case 'Step':
      return stepPush(node, children);
    case 'Processor':
      return processorPush(node, children, env);
    case 'Branch':
      return branchPush(node, children);
    case 'BranchChild':
      return (record, sink) => pushAll(children, record, sink);
    case 'Sink':
      return sinkPush(node);
    case 'ForEach':
      return forEachPush(node);
  }
};

/**
 * Makes one task's runnable form of a node and its tree: processors are made (the
 * supplier called once) and initialised, parents before children. A supplier or `init`
 * that throws makes this throw a ProcessingError naming the node. Internal.
 *
 * @example
 * const push = compileNode(source, { task, logger, opened: [] });
 * const later = push(raw, sink); // undefined: the record went all the way through now
 */
export const compileNode = (node: GraphNode, env: CompileEnv): Push => {
  // The node is made before its children; its push reads their pushes when it runs.
  const children: Compiled[] = [];
  const push = compileWith(node, children, env);
  for (const child of node.children) children.push({ node: child, push: compileNode(child, env) });
  return spanned(node, push);
};

/**
 * Makes the runnable form of one node whose children are already given (or are filled in
 * before the first record): how an operator's RxJS form runs the very node a topology runs.
 * A supplier or `init` that throws makes this throw a ProcessingError naming the node.
 * Internal.
 *
 * @example
 * const push = compileWith(node, [{ node: { name: 'out' }, push: emit }], env);
 */
export const compileWith = (
  node: GraphNode,
  children: readonly Compiled[],
  env: CompileEnv,
): Push => {
  try {
    return nodePush(node, children, env);
  } catch (error) {
    throw new ProcessingError({ nodeName: node.name, cause: error });
  }
};
