/**
 * Per-partition fetch positions of the records already handed over (queued for `poll`):
 * the offset after the last one. It is what keeps a retained partition from being
 * delivered twice when kafkajs restarts it from the committed offset after a rejoin.
 *
 * Keys are `topic:partition` ({@link topicPartitionKey}); offsets are decimal strings.
 *
 * @example
 * const positions = new PartitionPositions();
 * positions.advance('t:0', '5');
 * positions.accepts('t:0', '4'); // false: handed over already
 * positions.next('t:0'); // '6'
 */
export class PartitionPositions {
  private readonly positions = new Map<string, bigint>();

  /** True when a record at `offset` has not been handed over yet. */
  accepts(key: string, offset: string): boolean {
    const next = this.positions.get(key);
    return next === undefined || BigInt(offset) >= next;
  }

  /** Records that the record at `offset` was handed over; never moves backwards. */
  advance(key: string, offset: string): void {
    const after = BigInt(offset) + 1n;
    const next = this.positions.get(key);
    if (next === undefined || after > next) this.positions.set(key, after);
  }

  /** The offset to fetch next, or undefined when nothing was handed over yet. */
  next(key: string): string | undefined {
    const next = this.positions.get(key);
    return next === undefined ? undefined : next.toString();
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
