import type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './bytes-store';

interface Entry {
  readonly key: Buffer;
  value: Buffer;
}

/**
 * A key-value bytes store in a Map. Keys are kept as `latin1` strings, one character per
 * byte, so comparing two of them compares the bytes unsigned: the order ranges are read in.
 * The sorted key list is made again only after a key was added or removed.
 *
 * @example
 * const store = new InMemoryBytesStore();
 * store.put(Buffer.from('b'), Buffer.from('2'));
 * [...store.range(undefined, undefined)]; // [[<b>, <2>]]
 */
export class InMemoryBytesStore implements KeyValueBytesStore {
  private readonly entries = new Map<string, Entry>();
  private sorted: string[] | undefined;

  get(key: Buffer): Buffer | undefined {
    return this.entries.get(key.toString('latin1'))?.value;
  }

  put(key: Buffer, value: Buffer): void {
    const id = key.toString('latin1');
    const entry = this.entries.get(id);
    if (entry !== undefined) {
      entry.value = value;
      return;
    }
    this.entries.set(id, { key: Buffer.from(key), value });
    this.sorted = undefined;
  }

  delete(key: Buffer): void {
    if (this.entries.delete(key.toString('latin1'))) this.sorted = undefined;
  }

  *range(from: Buffer | undefined, to: Buffer | undefined): IterableIterator<[Buffer, Buffer]> {
    this.sorted ??= [...this.entries.keys()].sort();
    const keys = this.sorted;
    const low = from === undefined ? undefined : from.toString('latin1');
    const high = to === undefined ? undefined : to.toString('latin1');
    for (let i = low === undefined ? 0 : firstAtLeast(keys, low); i < keys.length; i++) {
      const id = keys[i]!;
      if (high !== undefined && id > high) return;
      // Deleted while the range was being read: skipped.
      const entry = this.entries.get(id);
      if (entry !== undefined) yield [entry.key, entry.value];
    }
  }

  count(): number {
    return this.entries.size;
  }

  close(): void {
    this.entries.clear();
    this.sorted = undefined;
  }
}

/** The index of the first key not below `low` in sorted `keys`. */
const firstAtLeast = (keys: readonly string[], low: string): number => {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < low) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** The in-memory supplier: a fresh, empty store per task, filled from the changelog. */
export const inMemorySupplier: KeyValueBytesStoreSupplier = Object.freeze({
  kind: 'in-memory',
  persistent: false,
  create: () => new InMemoryBytesStore(),
});
