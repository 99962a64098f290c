import type { ICustomPartitioner, Message, PartitionerArgs } from 'kafkajs';

/** A partitioner that also tells which partition it chose for a message. */
export interface MemoPartitioner {
  /** Pass as kafkajs `ProducerConfig.createPartitioner`. */
  readonly createPartitioner: ICustomPartitioner;
  /** The partition chosen for this message object, if it went through the partitioner. */
  partitionOf(message: Message): number | undefined;
}

/**
 * Wraps a kafkajs partitioner (the Java-compatible `DefaultPartitioner` by default) so each
 * message object keeps the partition chosen for it the first time: a retried `sendBatch`
 * puts an unkeyed record on the same partition again, and the producer can compute the
 * record's offset from the partition's base offset.
 *
 * @example
 * const memo = memoPartitioner(Partitioners.DefaultPartitioner);
 * const producer = kafka.producer({ createPartitioner: memo.createPartitioner });
 * await producer.sendBatch({ topicMessages: [{ topic, messages: [message] }] });
 * memo.partitionOf(message); // 2
 */
export const memoPartitioner = (inner: ICustomPartitioner): MemoPartitioner => {
  const chosen = new WeakMap<Message, number>();
  const createPartitioner: ICustomPartitioner = () => {
    const partition = inner();
    return (args: PartitionerArgs): number => {
      const known = chosen.get(args.message);
      if (known !== undefined) return known;
      const p = partition(args);
      chosen.set(args.message, p);
      return p;
    };
  };
  return { createPartitioner, partitionOf: (message) => chosen.get(message) };
};
