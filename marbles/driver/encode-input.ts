import type { Headers } from '../../lib/record/stream-record';
import type { Serde } from '../../lib/serde/serde';
import type { InputOptions, TestInputRecord } from './test-records';
import { TopologyTestError } from './topology-test-error';

/** An input record as bytes, waiting for its frame to get an offset and a timestamp. */
export class EncodedInput {
  constructor(
    readonly key: Buffer | null,
    readonly value: Buffer | null,
    readonly headers: Headers,
    readonly partition: number,
    readonly timestamp: number | undefined,
  ) {}
}

const raw = (what: string, data: unknown): Buffer | null => {
  if (data === null || data === undefined) return null;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return data;
  throw new TopologyTestError(
    `${what} is a ${typeof data}: give a serde in the input's options, or a string, Buffer or null`,
  );
};

const encode = <T>(what: string, topic: string, data: T, serde: Serde<T> | undefined) =>
  serde === undefined ? raw(what, data) : serde.serialize(topic, data);

const encodeHeaders = (headers: TestInputRecord<unknown, unknown>['headers']): Headers =>
  Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, v]) => [
      name,
      typeof v === 'string' ? Buffer.from(v, 'utf8') : v,
    ]),
  );

const requirePartition = (what: string, partition: number): number => {
  if (!Number.isInteger(partition) || partition < 0) {
    throw new TopologyTestError(`${what} has partition ${partition}: expected an integer >= 0`);
  }
  return partition;
};

/**
 * Turns the records of an input's marble values into bytes, with the input's serdes
 * (or as raw text and bytes without them). Throws a TopologyTestError naming the topic and
 * the marble of a value that is not a record or cannot be encoded.
 *
 * @example
 * encodeInput('orders', { a: { key: 'k1', value: 'v1' } }, {}); // { a: EncodedInput }
 */
export const encodeInput = <K, V>(
  topic: string,
  values: Readonly<Record<string, TestInputRecord<K, V>>>,
  options: InputOptions<K, V>,
): Record<string, EncodedInput> =>
  Object.fromEntries(
    Object.entries(values).map(([marble, record]) => {
      const what = `input '${marble}' of topic ${topic}`;
      if (typeof record !== 'object' || record === null || !('value' in record)) {
        throw new TopologyTestError(`${what} is not a record: expected { key?, value, headers? }`);
      }
      const key =
        record.key === undefined
          ? null
          : encode(`${what}: its key`, topic, record.key, options.key);
      const value = encode(`${what}: its value`, topic, record.value, options.value);
      const partition = requirePartition(what, record.partition ?? options.partition ?? 0);
      return [
        marble,
        new EncodedInput(key, value, encodeHeaders(record.headers), partition, record.timestamp),
      ];
    }),
  );
