const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/**
 * Kafka's variant of MurmurHash2 (`org.apache.kafka.common.utils.Utils.murmur2`): 32-bit,
 * seed `0x9747b28c`, returned as a signed int as Java does. Keyed records are partitioned by
 * `(murmur2(key) & 0x7fffffff) % partitions`, see {@link partitionForKey}.
 *
 * @example
 * murmur2(Buffer.from('foobar')); // -790332482
 */
export const murmur2 = (data: Uint8Array): number => {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length - (length & 3);
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[whole + 2]! << 16;
  if (rest >= 2) h ^= data[whole + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ data[whole]!, M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
};

/**
 * The partition the Java client's default partitioner (and kafkajs's `DefaultPartitioner`)
 * picks for a keyed record.
 *
 * @example
 * partitionForKey(Buffer.from('order-1'), 6); // 4, as the Java client picks
 */
export const partitionForKey = (key: Uint8Array, partitions: number): number =>
  (murmur2(key) & 0x7fffffff) % partitions;
