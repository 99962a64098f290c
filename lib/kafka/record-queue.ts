import type { RawRecord } from '../record/stream-record';

/**
 * Records fetched by a client adapter and not yet returned by `poll`, one FIFO per partition.
 * `take` visits partitions round-robin so one busy partition does not starve the others,
 * and skips partitions the caller cannot take from (paused, not yet announced): their
 * records stay queued, in order.
 *
 * @example
 * const queue = new RecordQueue();
 * queue.push('t:0', records);
 * const batch = queue.take(100, (key) => !paused.has(key));
 */
export class RecordQueue {
  private readonly queues = new Map<string, RawRecord[]>();
  private start = 0;

  /** Appends records of one partition, in offset order. */
  push(key: string, records: readonly RawRecord[]): void {
    if (records.length === 0) return;
    const queue = this.queues.get(key);
    if (queue === undefined) this.queues.set(key, [...records]);
    else queue.push(...records);
  }

  /** Takes up to `max` records from the partitions `canTake` allows, oldest first per partition. */
  take(max: number, canTake: (key: string) => boolean): RawRecord[] {
    const keys = [...this.queues.keys()].filter(canTake);
    if (keys.length === 0 || max <= 0) return [];
    const taken: RawRecord[] = [];
    const offset = this.start % keys.length;
    const order = [...keys.slice(offset), ...keys.slice(0, offset)];
    // Round-robin in slices so every partition with records gets a share of `max`.
    const share = Math.max(1, Math.ceil(max / order.length));
    let progressed = true;
    while (taken.length < max && progressed) {
      progressed = false;
      for (const key of order) {
        const queue = this.queues.get(key);
        if (queue === undefined || queue.length === 0) continue;
        const n = Math.min(share, max - taken.length, queue.length);
        taken.push(...queue.splice(0, n));
        if (queue.length === 0) this.queues.delete(key);
        progressed = true;
        if (taken.length >= max) break;
      }
    }
    this.start += 1;
    return taken;
  }

  /** The offset of a partition's oldest queued record, if it has one. */
  firstOffset(key: string): string | undefined {
    return this.queues.get(key)?.[0]?.offset;
  }

  /** Drops a partition's queued records (revoked: the new owner reads them again). */
  drop(key: string): void {
    this.queues.delete(key);
  }

  /** Drops everything. */
  clear(): void {
    this.queues.clear();
  }

  /** How many records are queued in the partitions `include` allows (all by default). */
  size(include: (key: string) => boolean = () => true): number {
    let n = 0;
    for (const [key, queue] of this.queues) if (include(key)) n += queue.length;
    return n;
  }
}
