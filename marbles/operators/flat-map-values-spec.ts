import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { flatMapValues } from 'rx-kstreams';
import { failedAt, record } from './fixtures';

describe('flatMapValues', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should emit one record per value returned, keeping the key', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a---------b-|';
      const subs = '    ^------------!';
      const expected = '-(xyz)-------|';
      const values = {
        a: record('k', 'to be or'),
        b: record('k', ''),
        x: record('k', 'to'),
        y: record('k', 'be'),
        z: record('k', 'or'),
      };

      const input = cold(source, values);
      const result = input.pipe(flatMapValues((v) => v.split(' ').filter((w) => w !== '')));
      expectObservable(result).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error at the frame of the record whose callback throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-|';
      const subs = '    ^!';
      const expected = '-#';
      const values = { a: record('k', 'v') };

      const input = cold(source, values);
      const result = input.pipe(
        flatMapValues((): string[] => {
          throw boom;
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('FLATMAPVALUES', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should wait for a Promise of values (real time)', async () => {
    const out = await lastValueFrom(
      of(record('k', 'a,b')).pipe(
        flatMapValues(async (v, r) => v.split(',').map((s) => `${r.key}:${s}`)),
        toArray(),
      ),
    );

    expect(out.map((r) => r.value)).toEqual(['k:a', 'k:b']);
  });
});
