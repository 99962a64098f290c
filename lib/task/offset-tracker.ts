interface Entry {
  readonly offset: number;
  done: boolean;
}

/**
 * Which offsets of one partition may be committed. Records are begun in offset order
 * and may finish in any order; the commit position is the end of the contiguous prefix
 * of finished records, so an unfinished record holds back every offset after it.
 */
export class OffsetTracker {
  private readonly entries: Entry[] = [];
  private head = 0;
  private readonly byOffset = new Map<number, Entry>();
  private next: number | undefined;

  /** Records begun and not yet done. */
  get inFlight(): number {
    return this.byOffset.size;
  }

  /** A record entered the pipeline. Offsets must be begun in increasing order. */
  begin(offset: string): void {
    const n = Number(offset);
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined && n <= last.offset) {
      throw new Error(`offset ${offset} begun after ${last.offset}: offsets must increase`);
    }
    const entry = { offset: n, done: false };
    this.entries.push(entry);
    this.byOffset.set(n, entry);
  }

  /** A record finished: processed, and all its outputs acknowledged (or it was skipped). */
  done(offset: string): void {
    const entry = this.byOffset.get(Number(offset));
    if (entry === undefined) return;
    entry.done = true;
    this.byOffset.delete(entry.offset);
    while (this.head < this.entries.length && this.entries[this.head]!.done) {
      this.next = this.entries[this.head]!.offset + 1;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The offset to commit (next to read), or undefined while nothing has finished. */
  committable(): string | undefined {
    return this.next === undefined ? undefined : String(this.next);
  }
}
