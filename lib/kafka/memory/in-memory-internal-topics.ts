import * as O from 'fp-ts/lib/Option.js';
import type { InternalTopics, NewTopic, TopicDescription } from '../client';
import { offsetIndex, type Offset } from '../offset';
import type { RawRecord, TopicPartition } from '../../record/stream-record';
import type { Cluster } from './cluster';

/** Records handed over per batch while a partition is read back. */
const READ_BATCH = 1000;

/**
 * The in-memory Kafka's internal topics: described and created in its cluster, read straight
 * from its logs, a batch per macrotask so that a long restore lets the rest of the process run.
 *
 * @example
 * const internal = kafka.client({ groupId: 'app' }).createInternalTopics();
 * await internal.create([{ name: 'app-counts-changelog', partitions: 4, config: { 'cleanup.policy': 'compact' } }]);
 */
export class InMemoryInternalTopics implements InternalTopics {
  constructor(private readonly cluster: Cluster) {}

  describe(names: readonly string[]): Promise<ReadonlyMap<string, TopicDescription>> {
    const found = new Map<string, TopicDescription>();
    for (const name of names) {
      const log = this.cluster.findTopic(name);
      if (O.isSome(log)) {
        const { partitionCount, config } = log.value;
        found.set(name, { name, partitions: partitionCount, config });
      }
    }
    return Promise.resolve(found);
  }

  create(topics: readonly NewTopic[]): Promise<void> {
    for (const topic of topics) {
      if (O.isNone(this.cluster.findTopic(topic.name))) {
        this.cluster.createTopic(topic.name, topic.partitions, topic.config);
      }
    }
    return Promise.resolve();
  }

  endOffset(tp: TopicPartition): Promise<Offset> {
    return Promise.resolve(String(this.cluster.topic(tp.topic).endOffset(tp.partition)));
  }

  async readPartition(
    tp: TopicPartition,
    from: Offset,
    onRecords: (records: readonly RawRecord[]) => void,
    signal?: AbortSignal,
  ): Promise<Offset> {
    const log = this.cluster.topic(tp.topic);
    const end = log.endOffset(tp.partition);
    for (let at = offsetIndex(from); at < end; at += READ_BATCH) {
      signal?.throwIfAborted();
      onRecords(log.read(tp.partition, at, Math.min(READ_BATCH, end - at)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    signal?.throwIfAborted();
    return String(end);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
