import { compareOffsets, type Offset, offsetAfter } from '../offset';

/**
 * Per-partition fetch positions of the records already handed over (queued for `poll`):
 * the offset after the last one. It is what keeps a retained partition from being
 * delivered twice when kafkajs restarts it from the committed offset after a rejoin.
 *
 * Keys are `topic:partition` ({@link topicPartitionKey}).
 *
 * @example
 * const positions = new PartitionPositions();
 * positions.advance('t:0', '5');
 * positions.accepts('t:0', '4'); // false: handed over already
 * positions.next('t:0'); // '6'
 */
export class PartitionPositions {
  private readonly positions = new Map<string, Offset>();

  /** True when a record at `offset` has not been handed over yet. */
  accepts(key: string, offset: Offset): boolean {
    const next = this.positions.get(key);
    return next === undefined || compareOffsets(offset, next) >= 0;
  }

  /** Records that the record at `offset` was handed over; never moves backwards. */
  advance(key: string, offset: Offset): void {
    const after = offsetAfter(offset);
    const next = this.positions.get(key);
    if (next === undefined || compareOffsets(after, next) > 0) this.positions.set(key, after);
  }

  /** The offset to fetch next, or undefined when nothing was handed over yet. */
  next(key: string): Offset | undefined {
    return this.positions.get(key);
  }

  /** Forgets a partition (revoked): a later owner starts from the committed offset. */
  forget(key: string): void {
    this.positions.delete(key);
  }

  /** Forgets every partition (the consumer crashed and left the group). */
  clear(): void {
    this.positions.clear();
  }
}
