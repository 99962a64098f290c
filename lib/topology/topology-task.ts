import type { TaskStore } from '../state/task-store';
import type { StoreDefinition } from '../state/stores';
import type { StorePool } from '../state/store-pool';
import type { StoreChanges } from '../state/store-change';
import type { Observable } from 'rxjs';
import type { ProducerRecord } from '../kafka/client';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';
import type { NodeSpan } from './node-span';
import type { RecordContext } from './record-context';

/**
 * Where a topology's sink nodes put their output, and the context its callbacks see. The
 * runner's record life implements it: it hands the record to the producer and tracks the
 * acknowledgement against the input record being processed; its signal aborts when that
 * record is abandoned.
 */
export interface RecordSink extends RecordContext {
  send(record: ProducerRecord, nodeName: string): void;
  /** Opens the span of a node's work on this record, when node spans are asked for. */
  readonly nodeSpan?: ((nodeName: string, kind: string) => NodeSpan | undefined) | undefined;
}

/** Which task (one per input partition) a topology instance serves. */
export interface TaskInfo {
  /** `topic:partition`. */
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
}

/**
 * What is left of pushing a record through a topology: `undefined` when it went through
 * every node now (each callback returned a plain value), or an Observable that completes
 * when the rest is done (errors as {@link TopologyTask.push} says).
 *
 * @example
 * const later: Pushed = task.push(raw, sink);
 * if (later !== undefined) later.subscribe({ complete: () => done(raw) });
 */
export type Pushed = Observable<never> | undefined;

/**
 * One task's instance of a topology: its own processor instances, made by the `process`
 * suppliers when the task is created. Runners and the marble driver run records through
 * `push` only.
 *
 * @example
 * const task: TopologyTask = topology.createTask({ id: 'orders:0', topic: 'orders', partition: 0 });
 * const later = task.push(raw, { send: (record) => written.push(record) });
 */
export interface TopologyTask {
  /**
   * Runs one input record through the source node for its topic and every node below,
   * handing each sink's outputs to `sink`. Returns `undefined` when that is done now (every
   * callback was synchronous), else an Observable of the rest that emits nothing and
   * completes when every node is done. Fails (throws now, or errors the Observable) with a
   * SerdeError (source or sink serde, with nodeName) or a ProcessingError (a callback threw
   * or rejected, with nodeName).
   */
  push(raw: RawRecord, sink: RecordSink): Pushed;
  /** Closes the task's processors (their `close()`), once, then its state stores. */
  close(): Promise<void>;
  /** The task's state stores, to be restored from their changelogs before its first record. */
  readonly stores?: readonly TaskStore[] | undefined;
}

/** How a task is made: the processors' logger, and the name of the application's internal topics. */
export interface CreateTaskOptions {
  /** What processors get as `context.logger`; no-op by default. */
  readonly logger?: Logger | undefined;
  /**
   * Names the changelog topics of the task's stores (`<applicationId>-<store>-changelog`);
   * needed when the topology has stores with logging on.
   */
  readonly applicationId?: string | undefined;
  /**
   * The run's shared stores: the tasks of one partition number whose topics share a store (a
   * table and a stream joined with it) get the one instance. Without it each task has its own.
   */
  readonly storePool?: StorePool | undefined;
  /** Where the task's stores report the changes processing makes (`app.changes(store)`). */
  readonly storeChanges?: StoreChanges | undefined;
}

/** What a runner needs of a topology; `Topology` (from `StreamsBuilder.build()`) is one. */
export interface RunnableTopology {
  /** Every topic some source node reads. */
  readonly sourceTopics: readonly string[];
  /** A fresh instance of the topology for one task (one per input partition). */
  createTask(info: TaskInfo, options?: CreateTaskOptions): TopologyTask;
  /** The state stores its processors use (none when absent). */
  readonly stateStores?: readonly StoreDefinition<unknown, unknown>[] | undefined;
  /** The repartition topics it writes and reads again, made before the run joins its group. */
  readonly repartitionTopics?: readonly string[] | undefined;
  /** Groups of topics whose tasks share stores: each group's partition N goes to one instance. */
  readonly coPartitionedTopics?: readonly (readonly string[])[] | undefined;
  /** The topology with its internal topics named after the application (itself when none). */
  forApplication?(applicationId: string): RunnableTopology;
}
