import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { map } from 'rx-kstreams';
import { failedAt, record, sleep } from './fixtures';

describe('map', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should replace key and value with the { key, value } returned, keeping the metadata', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^----!';
      const expected = '-x-y-|';
      const inputs = {
        a: { ...record('k1', 2, 7), headers: { h: Buffer.from('1') } },
        b: record('k2', 3, 8),
      };
      const outputs = {
        x: { ...record(2, 'k1', 7), headers: { h: Buffer.from('1') } },
        y: record(3, 'k2', 8),
      };

      const input = cold(source, inputs);
      const result = input.pipe(map((key, value) => ({ key: value, value: key })));
      expectObservable(result).toBe(expected, outputs);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should give the callback the whole record', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-|';
      const subs = '    ^--!';
      const expected = '-x-|';
      const inputs = { a: record('k', 0, 41) };
      const outputs = { x: record('orders', '41', 41) };

      const input = cold(source, inputs);
      const result = input.pipe(map((_k, _v, r) => ({ key: r.topic, value: r.offset })));
      expectObservable(result).toBe(expected, outputs);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error at the frame of the record whose callback throws', () => {
    const boom = new Error('boom');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-c-|';
      const subs = '    ^--!';
      const expected = '-x-#';
      const inputs = { a: record('k', 1), b: record('k', 2), c: record('k', 3) };
      const outputs = { x: record(1, 'k') };

      const input = cold(source, inputs);
      const result = input.pipe(
        map((key, value) => {
          if (value === 2) throw boom;
          return { key: value, value: key };
        }),
      );
      expectObservable(result).toBe(expected, outputs, failedAt('MAP', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should wait for a Promise and keep input order (real time)', async () => {
    const mapped = await lastValueFrom(
      of(record('a', 20), record('b', 1)).pipe(
        map(async (key, value) => {
          await sleep(value);
          return { key: value, value: key.toUpperCase() };
        }),
        toArray(),
      ),
    );

    expect(mapped.map((r) => [r.key, r.value])).toEqual([
      [20, 'A'],
      [1, 'B'],
    ]);
  });
});
