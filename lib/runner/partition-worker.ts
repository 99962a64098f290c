import { Subject } from 'rxjs';
import type { RawRecord, TopicPartition } from '../record/stream-record';
import type { Task } from '../task/task';

/** A runner's state for one assigned partition: its task and its place in the flow. */
export class PartitionWorker {
  /** Polled records refused by the full buffer, oldest first. */
  pending: RawRecord[] = [];
  /** Paused at the consumer by backpressure. */
  paused = false;
  /** The last offset committed for this partition. */
  committed: string | undefined;
  /** Emits once to end the partition's pipeline: queued records still run. */
  readonly end$ = new Subject<void>();
  /** Emits once to stop the partition's pipeline at once. */
  readonly kill$ = new Subject<void>();

  constructor(readonly task: Task) {}

  get topic(): string {
    return this.task.info.topic;
  }

  get partition(): number {
    return this.task.info.partition;
  }

  get topicPartition(): TopicPartition {
    return { topic: this.topic, partition: this.partition };
  }

  end(): void {
    this.end$.next();
    this.end$.complete();
  }

  kill(): void {
    this.kill$.next();
    this.kill$.complete();
  }
}
