import { describeValue } from '../../errors/kind-of';
import type { Headers } from '../../record/stream-record';
import { InMemoryKafkaError } from './in-memory-kafka-error';

/**
 * A record handed to {@link InMemoryKafka.produce}. Keys, values and header values may be
 * strings (written as UTF-8) or Buffers; a null value is a tombstone. Without `partition`
 * the partition comes from the key (murmur2, as the Java client does) or, for a null key,
 * round-robin. Without `timestamp` the broker's clock stamps it.
 *
 * @example
 * kafka.produce('orders', [{ key: 'order-1', value: '{"qty":2}', headers: { source: 'web' } }]);
 */
export interface InMemoryRecordInput {
  readonly key?: string | Buffer | null | undefined;
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string | Buffer | undefined>> | undefined;
  readonly partition?: number | undefined;
  readonly timestamp?: number | undefined;
}

/** A record input checked and turned into bytes, its partition not yet chosen. */
export interface ParsedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  readonly partition: number | undefined;
  readonly timestamp: number | undefined;
}

/**
 * Checks one record input and copies its bytes (so the caller may reuse its Buffers).
 * `where` names the record in error messages.
 *
 * @example
 * parseRecordInput({ key: 'k', value: null }, 'record 0 for topic "orders"');
 */
export const parseRecordInput = (input: unknown, where: string): ParsedRecord => {
  if (typeof input !== 'object' || input === null) {
    throw invalid(where, `must be an object, got ${describeValue(input)}`);
  }
  const record = input as Record<string, unknown>;
  if (!('value' in record) || record.value === undefined) {
    throw invalid(where, 'has no value (use null for a tombstone)');
  }
  return {
    key: toBytes(record.key ?? null, `${where}: key`),
    value: toBytes(record.value, `${where}: value`),
    headers: toHeaders(record.headers, where),
    partition: optionalNumber(record.partition, `${where}: partition`, Number.isInteger),
    timestamp: optionalNumber(record.timestamp, `${where}: timestamp`, Number.isFinite),
  };
};

const toBytes = (data: unknown, what: string): Buffer | null => {
  if (data === null) return null;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (Buffer.isBuffer(data)) return Buffer.from(data);
  throw new InMemoryKafkaError(
    'INVALID_RECORD',
    `${what} must be a string, a Buffer or null, got ${describeValue(data)}`,
  );
};

const toHeaders = (headers: unknown, where: string): Headers => {
  if (headers === undefined || headers === null) return Object.freeze({});
  if (typeof headers !== 'object' || Array.isArray(headers) || Buffer.isBuffer(headers)) {
    throw invalid(where, `headers must be an object, got ${describeValue(headers)}`);
  }
  const copy: Record<string, Buffer | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] =
      value === undefined || value === null
        ? undefined
        : (toBytes(value, `${where}: header "${name}"`) ?? undefined);
  }
  return Object.freeze(copy);
};

const optionalNumber = (
  value: unknown,
  what: string,
  valid: (n: number) => boolean,
): number | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && valid(value) && value >= 0) return value;
  throw new InMemoryKafkaError(
    'INVALID_RECORD',
    `${what} must be ${valid === Number.isInteger ? 'an integer' : 'a finite number'} >= 0, got ${String(value)}`,
  );
};

const invalid = (where: string, problem: string): InMemoryKafkaError =>
  new InMemoryKafkaError('INVALID_RECORD', `${where} ${problem}`);
