import { randomBytes } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { javaCompatiblePartitioner } from '../../../lib/kafka/kafkajs/java-compatible-partitioner';

const metadata = (partitions: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));

describe('javaCompatiblePartitioner', () => {
  it("should put keyed messages where kafkajs's DefaultPartitioner puts them", () => {
    const ours = javaCompatiblePartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 8, 50]) {
      const partitionMetadata = metadata(partitions);
      for (let n = 0; n < 300; n += 1) {
        const key = n % 2 === 0 ? randomBytes(n % 40) : `order-${n}`;
        const message = { key, value: null };
        expect(ours({ topic: 't', partitionMetadata, message })).toBe(
          theirs({ topic: 't', partitionMetadata, message }),
        );
      }
    }
  });

  it('should send a message that names its partition there', () => {
    const partition = javaCompatiblePartitioner();
    const message = { key: Buffer.from('k'), value: null, partition: 5 };
    expect(partition({ topic: 't', partitionMetadata: metadata(8), message })).toBe(5);
  });

  it('should spread unkeyed messages round-robin over the partitions with a leader', () => {
    const partition = javaCompatiblePartitioner();
    const partitionMetadata = metadata(4, [2]);
    const chosen = Array.from({ length: 6 }, () =>
      partition({ topic: 't', partitionMetadata, message: { key: null, value: 'v' } }),
    );
    expect(chosen).not.toContain(2);
    expect(new Set(chosen.slice(0, 3))).toEqual(new Set([0, 1, 3]));
    expect(chosen.slice(3)).toEqual(chosen.slice(0, 3));
  });

  it('should still choose a partition when none has a leader', () => {
    const partition = javaCompatiblePartitioner();
    const chosen = partition({
      topic: 't',
      partitionMetadata: metadata(3, [0, 1, 2]),
      message: { key: null, value: 'v' },
    });
    expect([0, 1, 2]).toContain(chosen);
  });
});
