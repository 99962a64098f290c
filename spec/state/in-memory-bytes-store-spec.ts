import { InMemoryBytesStore } from '../../lib/state/in-memory-bytes-store';

const b = (...bytes: number[]): Buffer => Buffer.from(bytes);
const keysOf = (entries: Iterable<[Buffer, Buffer]>): number[][] =>
  [...entries].map(([key]) => [...key]);

describe('InMemoryBytesStore', () => {
  it('should get what was put, overwrite on a second put, and forget a deleted key', () => {
    const store = new InMemoryBytesStore();
    store.put(b(1), b(10));
    store.put(b(1), b(11));
    store.put(b(2), b(20));
    expect(store.get(b(1))).toEqual(b(11));
    expect(store.count()).toBe(2);
    store.delete(b(1));
    expect(store.get(b(1))).toBeUndefined();
    expect(store.count()).toBe(1);
  });

  it('should read ranges in unsigned byte order, both ends included', () => {
    const store = new InMemoryBytesStore();
    for (const key of [[0xff], [0x80], [0x01], [0x7f], [0x80, 0x00], [0x00]])
      store.put(b(...key), b(0));
    expect(keysOf(store.range(undefined, undefined))).toEqual([
      [0x00],
      [0x01],
      [0x7f],
      [0x80],
      [0x80, 0x00],
      [0xff],
    ]);
    expect(keysOf(store.range(b(0x01), b(0x80)))).toEqual([[0x01], [0x7f], [0x80]]);
    expect(keysOf(store.range(b(0x02), b(0x7e)))).toEqual([]);
  });

  it('should skip an entry deleted while a range is read, and see keys added before the read', () => {
    const store = new InMemoryBytesStore();
    store.put(b(1), b(1));
    store.put(b(2), b(2));
    store.put(b(3), b(3));
    const read: number[][] = [];
    for (const [key] of store.range(undefined, undefined)) {
      read.push([...key]);
      if (key[0] === 1) store.delete(b(2));
    }
    expect(read).toEqual([[1], [3]]);
    store.put(b(0), b(0));
    expect(keysOf(store.range(undefined, undefined))).toEqual([[0], [1], [3]]);
  });

  it('should keep its own copy of a key, so a caller reusing the buffer changes nothing', () => {
    const store = new InMemoryBytesStore();
    const key = b(5);
    store.put(key, b(50));
    key[0] = 6;
    expect(keysOf(store.range(undefined, undefined))).toEqual([[5]]);
  });
});
