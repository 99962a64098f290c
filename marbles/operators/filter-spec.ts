import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { filter, type StreamRecord } from 'rx-kstreams';
import { failedAt, record, sleep } from './fixtures';

describe('filter', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should keep the records whose predicate holds, in the same frame', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-c-|';
      const subs = '    ^------!';
      const expected = '-a---c-|';
      const values = { a: record('k1', 5), b: record('k2', -1), c: record('k3', 7) };

      const input = cold(source, values);
      expectObservable(input.pipe(filter((_key, value) => value > 0))).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should give the predicate the key, the value and the whole record', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-c-|';
      const subs = '    ^------!';
      const expected = '-a-b---|';
      const values = { a: record('keep', 1, 10), b: record('x', 1, 11), c: record('x', 1, 12) };

      const input = cold(source, values);
      const result = input.pipe(filter((key, _value, r) => key === 'keep' || r.offset === '11'));
      expectObservable(result).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should narrow the value type with a type guard', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^----!';
      const expected = '-a---|';
      const values = { a: record('k', 'hello'), b: record<string, string | null>('k', null) };

      const input = cold<StreamRecord<string, string | null>>(source, values);
      const result = input.pipe(filter((_k, v): v is string => v !== null));
      expectObservable(result).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error at the frame of the record whose predicate throws, and unsubscribe', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-c-|';
      const subs = '    ^--!';
      const expected = '-a-#';
      const values = { a: record('k', 1), b: record('k', 2), c: record('k', 3) };

      const input = cold(source, values);
      const result = input.pipe(
        filter((_k, v) => {
          if (v === 2) throw boom;
          return true;
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('FILTER', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should wait for a Promise predicate and keep input order (real time, outside the TestScheduler)', async () => {
    const [a, b, c] = [record('k', 30), record('k', -1), record('k', 0)];

    const kept = await lastValueFrom(
      of(a, b, c).pipe(
        filter(async (_k, v) => {
          await sleep(v > 0 ? v : 1); // the first record is the slowest
          return v >= 0;
        }),
        toArray(),
      ),
    );

    expect(kept).toEqual([a, c]);
  });

  it('should not deliver a Promise result inside virtual time: Promises settle after run() returns', () => {
    const seen: unknown[] = [];
    scheduler.run(({ cold, expectSubscriptions }) => {
      const source = '-a-|';
      const subs = '  ^--!';
      const values = { a: record('k', 1) };

      const input = cold(source, values);
      input.pipe(filter(() => Promise.resolve(true))).subscribe((r) => seen.push(r));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(seen).toEqual([]);
  });
});
