import { lastValueFrom, of, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  type Logger,
  ProcessingError,
  process,
  type Processor,
  type ProcessorContext,
  type StreamRecord,
} from 'rx-kstreams';
import { failedAt, record, sleep } from './fixtures';

/** Forwards `count` copies of each record, the value numbered by this instance. */
const repeater = (log: string[]): (() => Processor<string, number, string, string>) => {
  let made = 0;
  return () => {
    const id = ++made;
    let context: ProcessorContext<string, string>;
    let seen = 0;
    return {
      init: (c) => {
        context = c;
        log.push(`init ${id}`);
      },
      process: (r) => {
        seen += 1;
        for (let i = 0; i < r.value; i++) context.forward({ ...r, value: `${id}.${seen}` });
      },
      close: () => void log.push(`close ${id}`),
    };
  };
};

const silentLogger = (): Logger & { error: jest.Mock } => ({
  debug: jest.fn(),
  info: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
});

describe('process', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should emit what process() forwards, in the frame of its input', () => {
    const log: string[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a----b----c-|';
      const subs = '    ^------------!';
      const expected = '-(xy)------z-|';
      const inputs = { a: record('k', 2), b: record('k', 0), c: record('k', 1) };
      const outputs = { x: record('k', '1.1'), y: record('k', '1.1'), z: record('k', '1.3') };

      const input = cold(source, inputs);
      expectObservable(input.pipe(process(repeater(log)))).toBe(expected, outputs);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(log).toEqual(['init 1', 'close 1']);
  });

  it('should make one processor per subscription', () => {
    const log: string[] = [];
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-|';
      const subs = ['   ^----!', '   ^----!'];
      const expected1 = '-x-y-|';
      const expected2 = '-p-q-|';
      const inputs = { a: record('k', 1), b: record('k', 1) };
      const outputs = {
        x: record('k', '1.1'),
        y: record('k', '1.2'),
        p: record('k', '2.1'),
        q: record('k', '2.2'),
      };

      const input = cold(source, inputs);
      const counted = input.pipe(process(repeater(log)));
      expectObservable(counted).toBe(expected1, outputs);
      expectObservable(counted).toBe(expected2, outputs);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(log).toEqual(['init 1', 'init 2', 'close 1', 'close 2']);
  });

  it('should close the processor when the subscriber unsubscribes', () => {
    const log: string[] = [];
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = '  -a-a-a-|';
      const subs = '    ^--!';
      const expected = '-x--';
      const unsub = '   ^--!';
      const inputs = { a: record('k', 1) };
      const outputs = { x: record('k', '1.1') };

      const input = hot(source, inputs);
      expectObservable(input.pipe(process(repeater(log))), unsub).toBe(expected, outputs);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(log).toEqual(['init 1', 'close 1']);
  });

  it('should error at the frame of the record process() throws on, forward nothing of it, and close', () => {
    const boom = new Error('boom');
    const closed = jest.fn();
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-b-c-|';
      const subs = '    ^--!';
      const expected = '-a-#';
      const values = { a: record('k', 1), b: record('k', 2), c: record('k', 3) };

      const input = cold(source, values);
      const result = input.pipe(
        process<string, number>(() => {
          let context: ProcessorContext<string, number>;
          return {
            init: (c) => void (context = c),
            process: (r) => {
              context.forward(r);
              if (r.value === 2) throw boom;
            },
            close: closed,
          };
        }),
      );
      expectObservable(result).toBe(expected, values, failedAt('PROCESSOR', boom));
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('should error when forwardTo is used outside a topology', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-|';
      const subs = '    ^!';
      const expected = '-#';
      const values = { a: record('k', 1) };

      const input = cold(source, values);
      const result = input.pipe(
        process<string, number>(
          () => {
            let context: ProcessorContext<string, number>;
            return {
              init: (c) => void (context = c),
              process: (r) => context.forwardTo('audit', r),
            };
          },
          { name: 'router' },
        ),
      );
      expectObservable(result).toBe(
        expected,
        values,
        failedAt(
          'router',
          new Error(
            "processor router called forwardTo('audit'), but a standalone process() operator has no named children; use forward()",
          ),
        ),
      );
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should error on subscription, without subscribing to the source, when init() forwards', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -a-|';
      const subs: string[] = [];
      const expected = '#';
      const values = { a: record('k', 1) };

      const input = cold(source, values);
      const result = input.pipe(
        process<string, number>(() => ({
          init: (context) => context.forward(record('k', 0)),
          process: () => undefined,
        })),
      );
      expectObservable(result).toBe(
        expected,
        values,
        new ProcessingError({
          nodeName: 'PROCESSOR',
          cause: new Error('processor PROCESSOR called forward() outside process()'),
        }),
      );
      expectSubscriptions(input.subscriptions).toBe(subs);
    });
  });

  it('should give the context the name, task and logger from the options', () => {
    const contexts: ProcessorContext<string, number>[] = [];
    const logger = silentLogger();
    const task = { id: 'orders:0', topic: 'orders', partition: 0 };
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = '  -|';
      const subs = '    ^!';
      const expected = '-|';

      const input = cold<StreamRecord<string, number>>(source);
      const result = input.pipe(
        process<string, number>(
          () => ({ init: (c) => void contexts.push(c), process: () => undefined }),
          { name: 'p', logger, task },
        ),
      );
      expectObservable(result).toBe(expected);
      expectSubscriptions(input.subscriptions).toBe(subs);
    });

    expect(contexts).toEqual([expect.objectContaining({ nodeName: 'p', task, logger })]);
  });

  it('should log, not throw, when close() throws or rejects', async () => {
    const logger = silentLogger();
    const throwing = process<string, number>(
      () => ({
        process: () => undefined,
        close: () => {
          throw new Error('close threw');
        },
      }),
      { logger },
    );
    const rejecting = process<string, number>(
      () => ({
        process: () => undefined,
        close: () => Promise.reject(new Error('close rejected')),
      }),
      { logger, name: 'r' },
    );

    await lastValueFrom(of(record('k', 1)).pipe(throwing, toArray()));
    await lastValueFrom(of(record('k', 1)).pipe(rejecting, toArray()));
    await sleep(0);

    expect(logger.error.mock.calls).toEqual([
      ['processor close failed', { nodeName: 'PROCESSOR', error: new Error('close threw') }],
      ['processor close failed', { nodeName: 'r', error: new Error('close rejected') }],
    ]);
  });

  it('should wait for an async process() and emit what it forwarded after awaiting (real time)', async () => {
    const out = await lastValueFrom(
      of(record('k', 2), record('k', 1)).pipe(
        process<string, number>(() => {
          let context: ProcessorContext<string, number>;
          return {
            init: (c) => void (context = c),
            process: async (r) => {
              await sleep(r.value);
              context.forward({ ...r, value: r.value * 10 });
            },
          };
        }),
        toArray(),
      ),
    );

    expect(out.map((r) => r.value)).toEqual([20, 10]);
  });
});
