import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mapValues } from 'rx-kstreams';
import { failedAt, record } from './fixtures';

describe('mapValues', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should replace the value and keep the key and metadata', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a--b-|';
      const subs = '    ^-----!';
      const expected = '-x--y-|';
      const values = {
        a: record('k1', 2, 1),
        b: record('k2', 5, 2),
        x: record('k1', 4, 1),
        y: record('k2', 10, 2),
      };

      const input = cold(source, values);
      expectObservable(input.pipe(mapValues((v) => v * 2))).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should let tombstones through to the callback', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-|';
      const subs = '    ^--!';
      const expected = '-x-|';
      const inputs = { a: record<string, number | null>('k', null) };
      const outputs = { x: record('k', 'deleted') };

      const input = cold(source, inputs);
      const result = input.pipe(mapValues((v, r) => (v === null ? 'deleted' : `${r.key}=${v}`)));
      expectObservable(result).toBe(expected, outputs);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error at the frame of the record whose callback throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-|';
      const subs = '    ^!';
      const expected = '-#';
      const values = { a: record('k', 1) };

      const input = cold(source, values);
      const result = input.pipe(
        mapValues(() => {
          throw boom;
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('MAPVALUES', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error with the reason of a rejected Promise (real time)', async () => {
    const failure = lastValueFrom(
      of(record('k', 1)).pipe(mapValues(() => Promise.reject(new Error('lookup failed')))),
    );

    await expect(failure).rejects.toThrow('lookup failed');
  });

  it('should wait for a Promise (real time)', async () => {
    const mapped = await lastValueFrom(
      of(record('k', 1), record('k', 2)).pipe(
        mapValues(async (v) => v + 1),
        toArray(),
      ),
    );

    expect(mapped.map((r) => r.value)).toEqual([2, 3]);
  });
});
