import type { Observable } from 'rxjs';
import type { ProducerRecord } from '../kafka/client';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';

/**
 * Where a topology's sink nodes put their output. The runner's task implements it:
 * it hands the record to the producer and tracks the acknowledgement against the input
 * record being processed.
 */
export interface RecordSink {
  send(record: ProducerRecord, nodeName: string): void;
}

/** Which task (one per input partition) a topology instance serves. */
export interface TaskInfo {
  /** `topic:partition`. */
  readonly id: string;
  readonly topic: string;
  readonly partition: number;
}

/**
 * One task's instance of a topology: its own processor instances, made by the
 * `process` suppliers when the task is created.
 */
export interface TopologyTask {
  /**
   * Runs one input record through the source node for its topic and every node below.
   * Emits nothing; completes when every node is done with the record and every sink has
   * handed its outputs to `sink`. Synchronous when all callbacks are synchronous.
   * Errors with a SerdeError (source or sink serde, with nodeName) or a ProcessingError
   * (a callback threw or rejected, with nodeName).
   */
  process(raw: RawRecord, sink: RecordSink): Observable<never>;
  /** Closes the task's processors (their `close()`), once. */
  close(): Promise<void>;
}

/** What a runner needs of a topology; `Topology` (from `StreamsBuilder.build()`) is one. */
export interface RunnableTopology {
  /** Every topic some source node reads. */
  readonly sourceTopics: readonly string[];
  /** A fresh instance of the topology for one task (one per input partition). */
  createTask(info: TaskInfo, options?: { readonly logger?: Logger }): TopologyTask;
}
