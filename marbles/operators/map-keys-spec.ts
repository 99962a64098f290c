import { lastValueFrom, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { mapKeys } from 'rx-kstreams';
import { failedAt, record } from './fixtures';

describe('mapKeys', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should replace the key, from the key or the value, and keep the value', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^----!';
      const expected = '-x-y-|';
      const values = {
        a: record('k1', { customer: 'c1' }),
        b: record('k2', { customer: 'c2' }),
        x: record('k1/c1', { customer: 'c1' }),
        y: record('k2/c2', { customer: 'c2' }),
      };

      const input = cold(source, values);
      const result = input.pipe(mapKeys((key, value) => `${key}/${value.customer}`));
      expectObservable(result).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error at the frame of the record whose callback throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  --a-|';
      const subs = '    ^-!';
      const expected = '--#';
      const values = { a: record('k', 1) };

      const input = cold(source, values);
      const result = input.pipe(
        mapKeys(() => {
          throw boom;
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('MAPKEYS', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should wait for a Promise (real time)', async () => {
    const mapped = await lastValueFrom(of(record('k', 1)).pipe(mapKeys(async (key) => key.length)));

    expect(mapped.key).toBe(1);
  });
});
