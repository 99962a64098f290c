import { lastValueFrom, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { forEach } from 'rx-kstreams';
import { failedAt, record, sleep } from './fixtures';

describe('forEach', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should run the callback per record and emit nothing', () => {
    const seen: string[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^----!';
      const expected = '-----|';
      const values = { a: record('k1', 1), b: record('k2', 2) };

      const input = cold(source, values);
      expectObservable(input.pipe(forEach((key, value) => void seen.push(`${key}=${value}`)))).toBe(
        expected,
      );
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(seen).toEqual(['k1=1', 'k2=2']);
  });

  it('should error at the frame of the record whose callback throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^--!';
      const expected = '---#';
      const values = { a: record('k', 1), b: record('k', 2) };

      const input = cold(source, values);
      const result = input.pipe(
        forEach((_k, v) => {
          if (v === 2) throw boom;
        }),
      );
      expectObservable(result).toBe(expected, undefined, failedAt('FOREACH', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should complete only after the last Promise settles (real time)', async () => {
    const done: number[] = [];

    await lastValueFrom(
      of(record('k', 2), record('k', 1)).pipe(
        forEach(async (_k, v) => {
          await sleep(v);
          done.push(v);
        }),
      ),
      { defaultValue: undefined },
    );

    expect(done).toEqual([2, 1]);
  });
});
