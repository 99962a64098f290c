import { Subject } from 'rxjs';
import type { TopicPartition } from '../record/stream-record';
import type { StreamTask } from '../task/stream-task';

/**
 * One assigned partition as the runtime keeps it: its task, and the two signals that end its
 * pipeline (gently or at once). What a runner keeps besides (pending records, the pause) is
 * the runner's own.
 */
export class PartitionWorker {
  /** Emits once to end the partition's pipeline: queued records still run. */
  readonly end$ = new Subject<void>();
  /** Emits once to stop the partition's pipeline at once. */
  readonly kill$ = new Subject<void>();

  constructor(readonly task: StreamTask) {}

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
