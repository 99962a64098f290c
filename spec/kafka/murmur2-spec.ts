import { Partitioners } from 'kafkajs';
import { murmur2, partitionForKey } from '../../lib/kafka/murmur2';

/** A deterministic pseudo-random byte source (xorshift32), so failures reproduce. */
const randomBytes = (seed: number) => {
  let state = seed;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return (length: number): Buffer => Buffer.from(Array.from({ length }, () => next() & 0xff));
};

const partitioner = Partitioners.DefaultPartitioner();

const kafkajsPartition = (key: Buffer, partitions: number): number =>
  partitioner({
    topic: 't',
    partitionMetadata: Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
      partitionErrorCode: 0,
    })),
    message: { key, value: null },
  });

describe('murmur2', () => {
  it("should match the vectors of Kafka's own Utils.murmur2 test", () => {
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];

    for (const [key, hash] of vectors) expect(murmur2(Buffer.from(key))).toBe(hash);
  });

  it('should hash the empty key like Kafka does (seed only)', () => {
    expect(murmur2(Buffer.alloc(0))).toBe(275646681);
  });

  it('should return a signed 32-bit integer', () => {
    const bytes = randomBytes(7);
    const hashes = Array.from({ length: 500 }, (_, i) => murmur2(bytes(i % 40)));

    expect(hashes.filter((h) => !Number.isInteger(h) || h < -(2 ** 31) || h >= 2 ** 31)).toEqual(
      [],
    );
    expect(hashes.some((h) => h < 0)).toBe(true);
  });
});

describe('partitionForKey', () => {
  it("should pick the partition kafkajs's DefaultPartitioner picks for random binary keys", () => {
    const bytes = randomBytes(42);
    const keys = Array.from({ length: 2000 }, (_, i) => bytes(i % 67));
    for (const partitions of [1, 2, 3, 7, 12, 100]) {
      const mismatches = keys.filter(
        (key) => partitionForKey(key, partitions) !== kafkajsPartition(key, partitions),
      );

      expect(mismatches.map((k) => `${partitions}:${k.toString('hex')}`)).toEqual([]);
    }
  });

  it("should pick the partition kafkajs's DefaultPartitioner picks for string keys", () => {
    const keys = Array.from({ length: 1000 }, (_, i) => Buffer.from(`order-${i}-é😀`, 'utf8'));
    for (const partitions of [3, 6, 16]) {
      const ours = keys.map((key) => partitionForKey(key, partitions));

      expect(ours).toEqual(keys.map((key) => kafkajsPartition(key, partitions)));
      expect(new Set(ours).size).toBe(partitions);
    }
  });

  it('should map a negative hash with toPositive (& 0x7fffffff), not Math.abs', () => {
    const key = Buffer.from('foobar'); // murmur2 = -790332482
    const expected = (-790332482 & 0x7fffffff) % 10;

    expect(partitionForKey(key, 10)).toBe(expected);
    expect(expected).not.toBe(Math.abs(-790332482) % 10);
  });
});
