import { topicPartitionKey, type RawRecord } from '../../lib/record/stream-record';
import { dispatchPoll, type PartitionIntake } from '../../lib/runner/dispatch-poll';

/** A record of `in-<partition>` at `offset`. */
const rec = (partition: number, offset: number): RawRecord => ({
  key: null,
  value: null,
  topic: 'in',
  partition,
  offset: String(offset),
  timestamp: 0,
  headers: {},
});

const offsets = (records: readonly RawRecord[]): string[] =>
  records.map((r) => `${r.partition}:${r.offset}`);

const partitions = (
  ...intakes: (Partial<PartitionIntake> & { partition: number })[]
): Map<string, PartitionIntake> =>
  new Map(
    intakes.map((p) => {
      const intake = { topic: 'in', pending: [], free: 10, paused: false, ...p };
      return [topicPartitionKey(intake), intake];
    }),
  );

const pendingOf = (dispatched: ReturnType<typeof dispatchPoll>, partition: number): string[] =>
  offsets(dispatched.pending.get(topicPartitionKey({ topic: 'in', partition }))!);

describe('dispatchPoll', () => {
  it('should admit a batch in poll order when every partition has room', () => {
    const batch = [rec(0, 1), rec(1, 1), rec(0, 2)];

    const dispatched = dispatchPoll(batch, partitions({ partition: 0 }, { partition: 1 }));

    expect(offsets(dispatched.admitted)).toEqual(['0:1', '1:1', '0:2']);
    expect(pendingOf(dispatched, 0)).toEqual([]);
    expect(pendingOf(dispatched, 1)).toEqual([]);
    expect(dispatched.pause).toEqual([]);
    expect(dispatched.resume).toEqual([]);
  });

  it('should keep what does not fit as pending, in order, and pause its partition', () => {
    const batch = [1, 2, 3, 4, 5].map((o) => rec(0, o));

    const dispatched = dispatchPoll(batch, partitions({ partition: 0, free: 2 }));

    expect(offsets(dispatched.admitted)).toEqual(['0:1', '0:2']);
    expect(pendingOf(dispatched, 0)).toEqual(['0:3', '0:4', '0:5']);
    expect(dispatched.pause).toEqual([{ topic: 'in', partition: 0 }]);
    expect(dispatched.resume).toEqual([]);
  });

  it('should admit pending records before new ones, and queue new ones behind pending left', () => {
    const intake = partitions({
      partition: 0,
      pending: [rec(0, 1), rec(0, 2)],
      free: 1,
      paused: true,
    });

    const dispatched = dispatchPoll([rec(0, 3)], intake);

    expect(offsets(dispatched.admitted)).toEqual(['0:1']);
    expect(pendingOf(dispatched, 0)).toEqual(['0:2', '0:3']);
    // Already paused: not paused again, and not resumed while records wait.
    expect(dispatched.pause).toEqual([]);
    expect(dispatched.resume).toEqual([]);
  });

  it('should not let a new record overtake pending ones even when room is left after them', () => {
    const intake = partitions({ partition: 0, pending: [rec(0, 1)], free: 3, paused: true });

    const dispatched = dispatchPoll([rec(0, 2), rec(0, 3)], intake);

    expect(offsets(dispatched.admitted)).toEqual(['0:1', '0:2', '0:3']);
    expect(pendingOf(dispatched, 0)).toEqual([]);
  });

  it('should resume a paused partition once its pending records are all admitted', () => {
    const intake = partitions(
      { partition: 0, pending: [rec(0, 1), rec(0, 2)], free: 2, paused: true },
      { partition: 1, pending: [rec(1, 1)], free: 0, paused: true },
    );

    const dispatched = dispatchPoll([], intake);

    expect(offsets(dispatched.admitted)).toEqual(['0:1', '0:2']);
    expect(dispatched.resume).toEqual([{ topic: 'in', partition: 0 }]);
    expect(dispatched.pause).toEqual([]);
    expect(pendingOf(dispatched, 1)).toEqual(['1:1']);
  });

  it('should keep partitions apart: a full one waits while the others run', () => {
    const batch = [rec(0, 1), rec(1, 1), rec(0, 2), rec(1, 2)];

    const dispatched = dispatchPoll(
      batch,
      partitions({ partition: 0, free: 0 }, { partition: 1, free: 5 }),
    );

    expect(offsets(dispatched.admitted)).toEqual(['1:1', '1:2']);
    expect(pendingOf(dispatched, 0)).toEqual(['0:1', '0:2']);
    expect(dispatched.pause).toEqual([{ topic: 'in', partition: 0 }]);
  });

  it('should drop the records of a partition no longer assigned', () => {
    const dispatched = dispatchPoll(
      [rec(0, 1), rec(7, 1), rec(0, 2)],
      partitions({ partition: 0 }),
    );

    expect(offsets(dispatched.admitted)).toEqual(['0:1', '0:2']);
    expect([...dispatched.pending.keys()]).toEqual([
      topicPartitionKey({ topic: 'in', partition: 0 }),
    ]);
  });

  it('should leave its input as it was', () => {
    const pending = [rec(0, 1)];
    const intake = partitions({ partition: 0, pending, free: 0, paused: true });

    dispatchPoll([rec(0, 2)], intake);

    expect(offsets(pending)).toEqual(['0:1']);
    expect(intake.get(topicPartitionKey({ topic: 'in', partition: 0 }))!.pending).toBe(pending);
  });
});
