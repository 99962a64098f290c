import type { StoreChanges } from '../state/store-change';
import type { TopicPartition } from '../record/stream-record';
import type { TaskStore } from '../state/task-store';
import type { Offset } from '../kafka/offset';
import type { Observable } from 'rxjs';
import type { KafkaClient } from '../kafka/client';
import type { RunnableTopology } from '../topology/topology-task';
import type { ErrorStats, ProcessingTimeStats, RecordStats } from '../task/record-counters';

/** Which runner drives an application. */
export type RunnerKind = 'single-threaded' | 'partitioned';

/** One assigned partition, as `app.stats()` shows it. */
export interface PartitionStats {
  readonly topic: string;
  readonly partition: number;
  /** Records in the partition's buffer: queued, processing, or waiting for acknowledgements. */
  readonly queueDepth: number;
  /** Records polled but refused by the full buffer, waiting to be offered again. */
  readonly pending: number;
  /** Whether the runner has paused the partition at the consumer. */
  readonly paused: boolean;
  /** The last offset committed for the partition (next to read), if any. */
  readonly committedOffset?: Offset | undefined;
  /**
   * Records in the partition after the committed offset (its end offset − committed), as of
   * the last time the runner asked the broker (every few seconds, and after the final
   * commit); undefined until it has.
   */
  readonly lag?: number | undefined;
  /**
   * Its state stores' restore from their changelogs: changelog records applied so far, and
   * whether it is done. Present only for a partition whose topology has logged stores; no
   * record of the partition is processed before `done`.
   */
  readonly restore?: { readonly records: number; readonly done: boolean } | undefined;
}

/**
 * A snapshot of a running application. Every figure is the runner's own: none needs an
 * OpenTelemetry SDK.
 *
 * @example
 * const stats = app.stats();
 * if (stats !== undefined) {
 *   const { inPerSecond, outPerSecond } = stats.records;
 *   console.log(`${inPerSecond.toFixed(0)}/s in, ${outPerSecond.toFixed(0)}/s out`);
 *   console.log(`${stats.errors.processing} processing errors, p99 ${stats.processingMs?.p99} ms`);
 * }
 */
export interface RunnerStats {
  readonly runner: RunnerKind;
  readonly partitions: readonly PartitionStats[];
  /** Records in and outputs out since the run started, and their rates over the last ~10 s. */
  readonly records: RecordStats;
  /** Failures shown to an error handler since the run started, by phase. */
  readonly errors: ErrorStats;
  /** Processing time percentiles of the last records that finished; undefined before one has. */
  readonly processingMs?: ProcessingTimeStats | undefined;
  /** Consumers the liveness watchdog replaced because a client stalled, this run. */
  readonly consumerRecreations: number;
  /** Of those replacements, the ones that replaced a stalled producer too. */
  readonly producerRecreations: number;
}

/** A running engine for one application run. */
export interface Runner {
  readonly kind: RunnerKind;
  /**
   * Resolves after a graceful shutdown once `signal` aborts; rejects on a fatal error. Once
   * `force` aborts (during the shutdown or before), records still running are abandoned at
   * once (uncommitted, read again), what finished is committed and the clients close.
   */
  run(signal: AbortSignal, force?: AbortSignal): Promise<void>;
  stats(): RunnerStats;
  readonly stats$: Observable<RunnerStats>;
  /**
   * The state store `name` of each task this runner has restored, and the source topics'
   * partition count that places keys (undefined while unknown).
   */
  localStores?(name: string): LocalStores;
}

/** What an interactive query reaches of one store on this instance. */
export interface LocalStores {
  readonly partitions: number | undefined;
  readonly stores: readonly LocalStore[];
}

/** One task's store, as an interactive query reaches it. */
export interface LocalStore extends TopicPartition {
  readonly store: TaskStore;
}

/** What a runner runs. */
export interface RunnerContext {
  readonly client: KafkaClient;
  readonly topology: RunnableTopology;
  /** Names the application's internal topics (state store changelogs); the client's group. */
  readonly applicationId: string;
  /** Where the tasks' stores report their changes (the application's `changes(store)`). */
  readonly storeChanges?: StoreChanges | undefined;
}

/**
 * Builds a runner for one run; options are checked when the factory is made.
 *
 * @example
 * const factory: RunnerFactory = partitionedRunner({ channelBufferSize: 200 });
 * await app.runWith(signal, factory);
 */
export type RunnerFactory = (context: RunnerContext) => Runner;
