import { LazyConnection } from '../lazy-connection';
import { connectedAdmin } from './connected-admin';
import type { Admin } from 'kafkajs';
import { topicPartitionKey, type TopicPartition } from '../../record/stream-record';
import type { PartitionLag } from '../client';
import { isOffset } from '../offset';

/**
 * Asks the broker where partitions end, over an admin client of its own (not the consumer's
 * fetch connections, so it answers when those are stuck), connected on first use. A partition
 * the consumer has handed nothing over for yet is placed at the group's committed offset, or
 * where kafkajs starts without one (the log's start with `fromBeginning`, else its end).
 *
 * @example
 * const probe = new LagProbe(() => kafka.admin(), 'orders-app', true);
 * await probe.lag([{ topic: 'orders', partition: 0 }], () => '42');
 */
export class LagProbe {
  private readonly admin: LazyConnection<Admin>;

  constructor(
    createAdmin: () => Admin,
    private readonly groupId: string,
    private readonly fromBeginning: boolean,
  ) {
    this.admin = connectedAdmin(createAdmin);
  }

  async lag(
    partitions: readonly TopicPartition[],
    position: (key: string) => string | undefined,
  ): Promise<readonly PartitionLag[]> {
    if (partitions.length === 0) return [];
    const admin = await this.admin.get();
    const topicsOf = (tps: readonly TopicPartition[]): string[] => [
      ...new Set(tps.map((tp) => tp.topic)),
    ];
    const ends = new Map<string, { readonly high: string; readonly low: string }>();
    await Promise.all(
      topicsOf(partitions).map(async (topic) => {
        for (const o of await admin.fetchTopicOffsets(topic)) {
          ends.set(topicPartitionKey({ topic, partition: o.partition }), o);
        }
      }),
    );
    const unplaced = partitions.filter((tp) => position(topicPartitionKey(tp)) === undefined);
    const committed = new Map<string, string>();
    if (unplaced.length > 0) {
      for (const { topic, partitions: offsets } of await admin.fetchOffsets({
        groupId: this.groupId,
        topics: topicsOf(unplaced),
      })) {
        for (const o of offsets)
          committed.set(topicPartitionKey({ topic, partition: o.partition }), o.offset);
      }
    }
    return partitions.flatMap((tp) => {
      const key = topicPartitionKey(tp);
      const end = ends.get(key);
      if (end === undefined) return [];
      const commit = committed.get(key);
      const start = commit !== undefined && isOffset(commit) ? commit : undefined;
      const placed = position(key) ?? start ?? (this.fromBeginning ? end.low : end.high);
      return [{ topic: tp.topic, partition: tp.partition, endOffset: end.high, position: placed }];
    });
  }

  close(): Promise<void> {
    return this.admin.close();
  }
}
