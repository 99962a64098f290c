import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { peek } from 'rx-kstreams';
import { failedAt, record, sleep } from './fixtures';

describe('peek', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should pass every record on unchanged after running the callback', () => {
    const seen: string[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^----!';
      const expected = '-a-b-|';
      const values = { a: record('k1', 1, 3), b: record('k2', 2, 4) };

      const input = cold(source, values);
      const result = input.pipe(
        peek((key, value, r) => void seen.push(`${key}=${value}@${r.offset}`)),
      );
      expectObservable(result).toBe(expected, values);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(seen).toEqual(['k1=1@3', 'k2=2@4']);
  });

  it('should error at the frame of the record whose callback throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^--!';
      const expected = '-a-#';
      const values = { a: record('k', 1), b: record('k', 2) };

      const input = cold(source, values);
      const result = input.pipe(
        peek((_k, v) => {
          if (v === 2) throw boom;
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('PEEK', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should pass a record on only once its Promise settles (real time)', async () => {
    const events: string[] = [];

    await lastValueFrom(
      of(record('k', 1)).pipe(
        peek(async () => {
          await sleep(1);
          events.push('peeked');
        }),
        peek(() => void events.push('next node')),
        toArray(),
      ),
    );

    expect(events).toEqual(['peeked', 'next node']);
  });

  it('should take an async callback that resolves with a value, and ignore the value', async () => {
    const inserted: number[] = [];
    // A database insert that resolves with the new row's id: peek waits and passes the record on.
    const insert = async (value: number): Promise<number> => {
      await sleep(1);
      inserted.push(value);
      return inserted.length;
    };
    const out = await lastValueFrom(
      of(record('k', 7)).pipe(
        peek((_key, value: number) => insert(value)),
        toArray(),
      ),
    );
    expect(inserted).toEqual([7]);
    expect(out).toEqual([record('k', 7)]);
  });
});
