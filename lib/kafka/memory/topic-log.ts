import type { RecordMetadata } from '../client';
import type { RawRecord } from '../../record/stream-record';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import { partitionForKey } from '../murmur2';
import type { ParsedRecord } from './record-input';

const LEGAL_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * One topic: an append-only log per partition, offsets from 0. Records are frozen when
 * appended, so what a consumer reads is what was written.
 *
 * @example
 * const log = new TopicLog('orders', 3);
 * log.append({ key: null, value: Buffer.from('x'), headers: {}, partition: 1, timestamp: 0 }, 0);
 * log.endOffset(1); // 1
 */
export class TopicLog {
  private readonly logs: RawRecord[][];
  private roundRobin = 0;

  constructor(
    readonly name: string,
    partitions: number,
    /** Its configuration (`cleanup.policy` and the like): kept and described, not acted on. */
    readonly config: Readonly<Record<string, string>> = {},
  ) {
    if (typeof name !== 'string' || !LEGAL_NAME.test(name) || name === '.' || name === '..') {
      throw new InMemoryKafkaError(
        'INVALID_TOPIC',
        `topic name ${JSON.stringify(name)} is not legal: use 1 to 249 of [a-zA-Z0-9._-], not "." or ".."`,
      );
    }
    this.logs = Array.from({ length: partitions }, () => []);
  }

  get partitionCount(): number {
    return this.logs.length;
  }

  /** Throws unless `partition` exists in this topic. */
  checkPartition(partition: number, where: string): void {
    this.partitionLog(partition, where);
  }

  /** The offset the next record of `partition` will get. */
  endOffset(partition: number): number {
    return this.partitionLog(partition).length;
  }

  /** Up to `count` records of `partition` from offset `from` on. */
  read(partition: number, from: number, count: number): RawRecord[] {
    return this.partitionLog(partition).slice(from, from + count);
  }

  /** Every record, partition by partition, each in offset order. */
  all(): RawRecord[] {
    return this.logs.flat();
  }

  /** Appends at the partition given, else the key's, else the next round-robin one. */
  append(record: ParsedRecord, timestamp: number): RecordMetadata {
    const partition = record.partition ?? this.choosePartition(record.key);
    const log = this.partitionLog(partition);
    const offset = String(log.length);
    log.push(
      Object.freeze({
        key: record.key,
        value: record.value,
        headers: record.headers,
        topic: this.name,
        partition,
        offset,
        timestamp: record.timestamp ?? timestamp,
      }),
    );
    return { topic: this.name, partition, offset };
  }

  private choosePartition(key: Buffer | null): number {
    if (key !== null) return partitionForKey(key, this.logs.length);
    const partition = this.roundRobin % this.logs.length;
    this.roundRobin += 1;
    return partition;
  }

  private partitionLog(partition: number, where = 'read'): RawRecord[] {
    const log = this.logs[partition];
    if (log === undefined) {
      throw new InMemoryKafkaError(
        'UNKNOWN_TOPIC_OR_PARTITION',
        `${where}: partition ${partition} does not exist in topic "${this.name}" (${this.logs.length} partitions)`,
      );
    }
    return log;
  }
}
