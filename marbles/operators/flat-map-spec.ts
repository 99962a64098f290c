import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { flatMap } from 'rx-kstreams';
import { failedAt, record } from './fixtures';

describe('flatMap', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should emit one record per pair returned, in the frame of the input', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a----b----c-|';
      const subs = '    ^------------!';
      const expected = '-(xy)------z-|';
      const inputs = {
        a: record('order-1', ['s1', 's2'], 4),
        b: record('order-2', [] as string[], 5),
        c: record('order-3', ['s3'], 6),
      };
      const outputs = {
        x: record('s1', 'order-1', 4),
        y: record('s2', 'order-1', 4),
        z: record('s3', 'order-3', 6),
      };

      const input = cold(source, inputs);
      const result = input.pipe(
        flatMap((key, skus) => skus.map((sku) => ({ key: sku, value: key }))),
      );
      expectObservable(result).toBe(expected, outputs);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should take any iterable', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a------|';
      const subs = '    ^-------!';
      const expected = '-(xy)---|';
      const values = { a: record('k', 2), x: record('k0', 0), y: record('k1', 1) };
      function* pairs(key: string, n: number) {
        for (let i = 0; i < n; i++) yield { key: `${key}${i}`, value: i };
      }

      const input = cold(source, values);
      expectObservable(input.pipe(flatMap(pairs))).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error with a TypeError naming flatMap when the callback returns no iterable', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: record('k', 1) };
      const notIterable = 42 as unknown as Iterable<{ key: string; value: number }>;

      const result = cold('-a-|', values).pipe(flatMap(() => notIterable));

      expectObservable(result).toBe(
        '-#',
        values,
        failedAt('FLATMAP', new TypeError('the flatMap callback returned 42, not an iterable')),
      );
    });
  });

  it('should error at the frame of the record whose callback throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^--!';
      const expected = '-x-#';
      const values = { a: record('k', 1), b: record('k', 2), x: record('k', 1) };

      const input = cold(source, values);
      const result = input.pipe(
        flatMap((key, value) => {
          if (value === 2) throw boom;
          return [{ key, value }];
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('FLATMAP', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should wait for a Promise of pairs (real time)', async () => {
    const out = await lastValueFrom(
      of(record('k', 2)).pipe(
        flatMap(async (key, n) => [
          { key, value: n },
          { key, value: n * 10 },
        ]),
        toArray(),
      ),
    );

    expect(out.map((r) => r.value)).toEqual([2, 20]);
  });
});
