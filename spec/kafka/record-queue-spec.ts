import type { RawRecord } from '../../lib/record/stream-record';
import { RecordQueue } from '../../lib/kafka/record-queue';

const records = (partition: number, from: number, count: number): RawRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    topic: 't',
    partition,
    offset: String(from + i),
    timestamp: 0,
    key: null,
    value: null,
    headers: {},
  }));

const ids = (rs: readonly RawRecord[]): string[] => rs.map((r) => `${r.partition}@${r.offset}`);

describe('RecordQueue', () => {
  it("should return one partition's records in the order they were pushed", () => {
    const queue = new RecordQueue();
    queue.push('t:0', records(0, 0, 3));
    queue.push('t:0', records(0, 3, 2));
    expect(ids(queue.take(10, () => true))).toEqual(['0@0', '0@1', '0@2', '0@3', '0@4']);
    expect(queue.size()).toBe(0);
  });

  it('should take at most max records and keep the rest', () => {
    const queue = new RecordQueue();
    queue.push('t:0', records(0, 0, 5));
    expect(ids(queue.take(2, () => true))).toEqual(['0@0', '0@1']);
    expect(ids(queue.take(10, () => true))).toEqual(['0@2', '0@3', '0@4']);
  });

  it('should share max between partitions', () => {
    const queue = new RecordQueue();
    queue.push('t:0', records(0, 0, 10));
    queue.push('t:1', records(1, 0, 10));
    const taken = queue.take(4, () => true);
    expect(taken.filter((r) => r.partition === 0)).toHaveLength(2);
    expect(taken.filter((r) => r.partition === 1)).toHaveLength(2);
  });

  it('should fill max from other partitions when one runs out', () => {
    const queue = new RecordQueue();
    queue.push('t:0', records(0, 0, 1));
    queue.push('t:1', records(1, 0, 10));
    expect(queue.take(6, () => true)).toHaveLength(6);
  });

  it('should leave partitions the caller cannot take from queued, in order', () => {
    const queue = new RecordQueue();
    queue.push('t:0', records(0, 0, 2));
    queue.push('t:1', records(1, 0, 2));
    expect(ids(queue.take(10, (key) => key !== 't:0'))).toEqual(['1@0', '1@1']);
    expect(queue.size((key) => key === 't:0')).toBe(2);
    expect(ids(queue.take(10, () => true))).toEqual(['0@0', '0@1']);
  });

  it('should drop one partition or everything', () => {
    const queue = new RecordQueue();
    queue.push('t:0', records(0, 0, 2));
    queue.push('t:1', records(1, 0, 3));
    queue.drop('t:0');
    expect(queue.size()).toBe(3);
    queue.clear();
    expect(queue.take(10, () => true)).toEqual([]);
  });

  it('should take nothing for max 0', () => {
    const queue = new RecordQueue();
    queue.push('t:0', records(0, 0, 2));
    expect(queue.take(0, () => true)).toEqual([]);
  });
});
