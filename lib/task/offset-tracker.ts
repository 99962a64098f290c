import * as O from 'fp-ts/lib/Option.js';
import { type Offset, offsetIndex } from '../kafka/offset';

/**
 * Which offsets of one partition may be committed. Records are begun in offset order
 * and may finish in any order; the commit position is the end of the contiguous prefix
 * of finished records, so an unfinished record holds back every offset after it.
 *
 * Begun offsets are kept in order in a plain array (found again by binary search), so
 * beginning and finishing a record allocate nothing but the array's growth. The index
 * holds offsets as numbers ({@link offsetIndex}); what goes in and out is an {@link Offset}.
 */
export class OffsetTracker {
  private offsets: number[] = [];
  private finished: boolean[] = [];
  private head = 0;
  private open = 0;
  private next: number | undefined;

  /** Records begun and not yet done. */
  get unfinished(): number {
    return this.open;
  }

  /** A record entered the pipeline. Offsets must be begun in increasing order. */
  begin(offset: Offset): void {
    const n = offsetIndex(offset);
    const last = this.offsets[this.offsets.length - 1];
    if (last !== undefined && n <= last) {
      throw new Error(`offset ${offset} begun after ${last}: offsets must increase`);
    }
    this.offsets.push(n);
    this.finished.push(false);
    this.open += 1;
  }

  /** A record finished: processed, and all its outputs acknowledged (or it was skipped). */
  done(offset: Offset): void {
    const i = this.indexOf(offsetIndex(offset));
    if (i === -1 || this.finished[i]) return;
    this.finished[i] = true;
    this.open -= 1;
    while (this.head < this.offsets.length && this.finished[this.head]) {
      this.next = this.offsets[this.head]! + 1;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.offsets.length) {
      this.offsets = this.offsets.slice(this.head);
      this.finished = this.finished.slice(this.head);
      this.head = 0;
    }
  }

  /** The offset to commit (the next to read); none while nothing has finished. */
  committable(): O.Option<Offset> {
    return this.next === undefined ? O.none : O.some(String(this.next));
  }

  /** Where a begun, not yet committable offset is kept; -1 if it is not. */
  private indexOf(n: number): number {
    let low = this.head;
    let high = this.offsets.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const at = this.offsets[mid]!;
      if (at === n) return mid;
      if (at < n) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }
}
