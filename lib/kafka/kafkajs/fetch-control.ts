import type { Consumer as KafkajsConsumerApi, TopicPartitions } from 'kafkajs';
import type { Logger } from '../../logger/logger';
import type { TopicPartition } from '../../record/stream-record';
import { messageOf } from '../../errors/message-of';

const byTopic = (tps: readonly TopicPartition[]): TopicPartitions[] => {
  const topics = new Map<string, number[]>();
  for (const { topic, partition } of tps) {
    const partitions = topics.get(topic);
    if (partitions === undefined) topics.set(topic, [partition]);
    else partitions.push(partition);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
};

/**
 * The kafkajs calls that steer what its fetch loop reads next: `pause`, `resume` and `seek`.
 * They fail only when the kafkajs consumer is not running (stopping, crashed), and the
 * bookkeeping that calls them happens inside kafkajs's event listeners and `eachBatch`, so a
 * failure is logged rather than thrown.
 *
 * @example
 * const control = new FetchControl(kafkajsConsumer, logger, 'orders');
 * control.pause([{ topic: 'orders', partition: 0 }]);
 * control.seek({ topic: 'orders', partition: 1 }, '42');
 */
export class FetchControl {
  constructor(
    private readonly consumer: KafkajsConsumerApi,
    private readonly logger: Logger,
    private readonly groupId: string,
  ) {}

  pause(partitions: readonly TopicPartition[]): void {
    this.call('pause', () => this.consumer.pause(byTopic(partitions)));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.call('resume', () => this.consumer.resume(byTopic(partitions)));
  }

  /** The next fetch of `tp` starts at `offset`. */
  seek(tp: TopicPartition, offset: string): void {
    this.call('seek', () => this.consumer.seek({ ...tp, offset }));
  }

  private call(what: string, call: () => void): void {
    try {
      call();
    } catch (e) {
      this.logger.warn(`kafkajs ${what} failed`, {
        groupId: this.groupId,
        error: messageOf(e),
      });
    }
  }
}
