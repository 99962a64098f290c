import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { filterNot, type StreamRecord } from 'rx-kstreams';
import { failedAt, record } from './fixtures';

describe('filterNot', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should drop the records whose predicate holds', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-c-|';
      const subs = '    ^------!';
      const expected = '---b---|';
      const values = { a: record('k1', 5), b: record('k2', -1), c: record('k3', 7) };

      const input = cold(source, values);
      expectObservable(input.pipe(filterNot((_key, value) => value > 0))).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should drop tombstones and remove null from the value type with a type guard', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^----!';
      const expected = '---b-|';
      const values = { a: record<string, string | null>('k', null), b: record('k', 'v') };

      const input = cold<StreamRecord<string, string | null>>(source, values);
      const result = input.pipe(filterNot((_k, v): v is null => v === null));
      expectObservable(result).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error at the frame of the record whose predicate throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  --a--b--|';
      const subs = '    ^----!';
      const expected = '-----#';
      const values = { a: record('k', 1), b: record('k', 2) };

      const input = cold(source, values);
      const result = input.pipe(
        filterNot((_k, v) => {
          if (v === 2) throw boom;
          return true;
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('FILTERNOT', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should wait for a Promise predicate (real time)', async () => {
    const [a, b] = [record('k', 1), record('k', 2)];

    const kept = await lastValueFrom(
      of(a, b).pipe(
        filterNot(async (_k, v) => v === 1),
        toArray(),
      ),
    );

    expect(kept).toEqual([b]);
  });
});
