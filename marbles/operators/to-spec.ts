import { lastValueFrom, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { SerdeError, Serdes, to } from 'rx-kstreams';
import { failedAt, record } from './fixtures';

describe('to', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should serialize each record and emit nothing (only a topology has a producer)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^----!';
      const expected = '-----|';
      const values = { a: record('k', 'v'), b: record('k', null) };

      const input = cold(source, values);
      const result = input.pipe(to('out', { key: Serdes.string(), value: Serdes.string() }));
      expectObservable(result).toBe(expected);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error with a located SerdeError at the frame of a record its serde refuses', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^--!';
      const expected = '---#';
      const values = {
        a: record<string, unknown>('k', Buffer.from('ok'), 6),
        b: record<string, unknown>('k', 42, 7),
      };
      const error = new SerdeError(
        "a sink without a value serde writes values as bytes, but the value for topic out is a number, not a Buffer or null: give it serdes, e.g. to('out', { key: Serdes.string(), value: Serdes.json() }) (topic orders, partition 0, offset 7, node bytes-out)",
        { topic: 'orders', partition: 0, offset: '7', nodeName: 'bytes-out', target: 'value' },
      );

      const input = cold(source, values);
      // @ts-expect-error the value has no serde and is not bytes: what JavaScript can do
      const result = input.pipe(to('out', { key: Serdes.string(), name: 'bytes-out' }));
      expectObservable(result).toBe(expected, undefined, error);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error at the frame of a record whose topic name extractor throws', () => {
    const boom = new Error('no route');
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = '    ^--!';
      const expected = '---#';
      const values = { a: record('eu', 'v'), b: record('??', 'v') };

      const input = cold(source, values);
      const result = input.pipe(
        to(
          (key) => {
            if (key === '??') throw boom;
            return `orders-${key}`;
          },
          { key: Serdes.string(), value: Serdes.string() },
        ),
      );
      expectObservable(result).toBe(expected, undefined, failedAt('SINK', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should wait for a Promise from the topic name extractor (real time)', async () => {
    const done = lastValueFrom(
      of(record('k', Buffer.from('v'))).pipe(to(async () => '', { key: Serdes.string() })),
      { defaultValue: 'completed' },
    );

    await expect(done).rejects.toThrow('the topic name extractor returned "", not a topic name');
  });
});
