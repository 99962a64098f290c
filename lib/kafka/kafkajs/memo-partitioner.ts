import type { ICustomPartitioner, Message, PartitionerArgs } from 'kafkajs';

/** A partitioner that also tells which partition it chose for a message. */
export interface MemoPartitioner {
  /** Pass as kafkajs `ProducerConfig.createPartitioner`. */
  readonly createPartitioner: ICustomPartitioner;
  /** The partition of this message: the one it named, or the one chosen for it. */
  partitionOf(message: Message): number | undefined;
}

/**
 * Wraps a kafkajs partitioner (the Java-compatible `DefaultPartitioner` by default) so each
 * message keeps the partition chosen for it the first time: the choice is written into the
 * message's own `partition`, so a retried `sendBatch` puts an unkeyed record on the same
 * partition again, and the producer can compute the record's offset from the partition's
 * base offset. A message that names its partition goes there (as in Java, where an explicit
 * partition wins over the partitioner). Give it only messages of your own: it writes to them.
 *
 * @example
 * const memo = memoPartitioner(Partitioners.DefaultPartitioner);
 * const producer = kafka.producer({ createPartitioner: memo.createPartitioner });
 * await producer.sendBatch({ topicMessages: [{ topic, messages: [message] }] });
 * memo.partitionOf(message); // 2
 */
export const memoPartitioner = (inner: ICustomPartitioner): MemoPartitioner => {
  const createPartitioner: ICustomPartitioner = () => {
    const partition = inner();
    return (args: PartitionerArgs): number => {
      const { message } = args;
      const known = message.partition;
      if (known !== undefined && known !== null) return known;
      const chosen = partition(args);
      message.partition = chosen;
      return chosen;
    };
  };
  return { createPartitioner, partitionOf: (message) => message.partition ?? undefined };
};
