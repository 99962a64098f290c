import {
  Partitioners,
  type ICustomPartitioner,
  type Message,
  type PartitionMetadata,
} from 'kafkajs';
import { memoPartitioner } from '../../../lib/kafka/kafkajs/memo-partitioner';

const partitionMetadata: PartitionMetadata[] = [0, 1, 2, 3].map((partitionId) => ({
  partitionId,
  leader: 1,
  partitionErrorCode: 0,
  replicas: [1],
  isr: [1],
}));

describe('memoPartitioner', () => {
  it('should choose what the wrapped partitioner chooses and remember it per message', () => {
    const memo = memoPartitioner(Partitioners.DefaultPartitioner);
    const reference = Partitioners.DefaultPartitioner();
    const partition = memo.createPartitioner();
    const message: Message = { key: Buffer.from('order-17'), value: null };

    const chosen = partition({ topic: 't', partitionMetadata, message });

    expect(chosen).toBe(reference({ topic: 't', partitionMetadata, message }));
    expect(memo.partitionOf(message)).toBe(chosen);
  });

  it('should put an unkeyed message on the same partition again when it is retried', () => {
    let next = 0;
    const roundRobin: ICustomPartitioner = () => () => next++ % 4;
    const memo = memoPartitioner(roundRobin);
    const partition = memo.createPartitioner();
    const message: Message = { key: null, value: 'v' };
    const first = partition({ topic: 't', partitionMetadata, message });
    expect(partition({ topic: 't', partitionMetadata, message })).toBe(first);
    expect(
      partition({ topic: 't', partitionMetadata, message: { key: null, value: 'w' } }),
    ).not.toBe(first);
  });

  it('should send a message that names its partition there without asking the partitioner', () => {
    const asked: Message[] = [];
    const recording: ICustomPartitioner = () => (args) => {
      asked.push(args.message);
      return 0;
    };
    const memo = memoPartitioner(recording);
    const message: Message = { key: Buffer.from('k'), value: 'v', partition: 3 };
    expect(memo.createPartitioner()({ topic: 't', partitionMetadata, message })).toBe(3);
    expect(asked).toEqual([]);
    expect(memo.partitionOf(message)).toBe(3);
  });

  it('should know nothing of a message it never partitioned', () => {
    expect(
      memoPartitioner(Partitioners.DefaultPartitioner).partitionOf({ value: null }),
    ).toBeUndefined();
  });
});
