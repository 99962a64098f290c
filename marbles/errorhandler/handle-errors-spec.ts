import { defer, Observable, of, throwError, concat } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  Action,
  type ErrorContext,
  type ErrorHandler,
  fixedBackoff,
  noopLogger,
  ProcessingError,
  type RawRecord,
  SerdeError,
  silentFail,
  withMaxAttempts,
} from 'rx-kstreams';
import { dlqRecord } from '../../lib/errorhandler/dlq-record';
import { handleErrors } from '../../lib/errorhandler/handle-errors';
import { dlqHeaders } from '../../spec/support/dlq-headers';
import { recordingLogger } from '../../spec/support/recording-logger';

const record: RawRecord = {
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  topic: 'orders',
  partition: 1,
  offset: '41',
  timestamp: 1000,
  headers: { trace: Buffer.from('t') },
};

const failing = (): ProcessingError =>
  new ProcessingError({
    nodeName: 'MAP-0000000002',
    cause: new Error('bad'),
    topic: 'orders',
    partition: 1,
    offset: '41',
  });

describe('handleErrors', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('should make attempts at virtual 0, 1000 and 2000 ms with withMaxAttempts(3, fixedBackoff(1000), …) and fail at 3000 ms, as go-streams does', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', {}, failing());
      const subs = ['(^!)', '1000ms (^!)', '2000ms (^!)'];
      const expected = '3000ms #';

      const handler = withMaxAttempts(3, fixedBackoff(1000), silentFail());
      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => handler,
          sendToDLQ: () => of(),
          logger: noopLogger,
        }),
      );

      expectObservable(result).toBe(expected, undefined, failing());
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should complete the pipeline (skip the record) on continue', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#', { a: 1 }, failing());
      const subs = '^--!';
      const expected = '-a-|';

      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => () => Action.continue(),
          sendToDLQ: () => of(),
          logger: noopLogger,
        }),
      );

      expectObservable(result).toBe(expected, { a: 1 });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should wait for the DLQ write before completing on sendToDLQ', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', {}, failing());
      const dlqWrite = cold('---(x|)');
      const subs = '^-!';
      const expected = '-----|';
      const written: Array<[string, ErrorContext]> = [];

      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => () => Action.sendToDLQ('orders.dlq'),
          sendToDLQ: (topic, ec) => {
            written.push([topic, ec]);
            return dlqWrite;
          },
          logger: noopLogger,
        }),
      );

      expectObservable(result).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
      scheduler.flush();
      expect(written).toHaveLength(1);
      expect(written[0]?.[0]).toBe('orders.dlq');
      expect(written[0]?.[1]).toMatchObject({
        phase: 'processing',
        nodeName: 'MAP-0000000002',
        attempt: 1,
      });
    });
  });

  it('should take a delayed action after its wait: Action.after(300, sendToDLQ)', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--#', {}, failing());
      const dlqWrite = cold('-(x|)');
      const subs = '^-!';
      const expected = '------|';
      const writtenAt: number[] = [];

      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => () => Action.after(3, Action.sendToDLQ('orders.dlq')),
          sendToDLQ: () => {
            writtenAt.push(scheduler.now());
            return dlqWrite;
          },
          logger: noopLogger,
        }),
      );

      expectObservable(result).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
      scheduler.flush();
      expect(writtenAt).toEqual([5]);
    });
  });

  it('should give the record up at once when its partition leaves during a retry wait', () => {
    const logger = recordingLogger();
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const source = cold('#', {}, failing());
      const leaving = hot('   ---x');
      const subs = '        (^!)';
      const expected = '      ----';
      const givenUp: number[] = [];

      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => () => Action.retry(10_000),
          sendToDLQ: () => of(),
          logger,
          leaving$: leaving,
          giveUp: () => givenUp.push(scheduler.now()),
        }),
      );

      expectObservable(result, '^---!').toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
      scheduler.flush();
      expect(givenUp).toEqual([3]);
    });
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: expect.stringMatching(/given up.*read again/),
        fields: expect.objectContaining({ offset: '41', waitMs: 10_000 }),
      }),
    );
  });

  it('should give the record up without retrying when the partition already left', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', {}, failing());
      const left = of(undefined);
      const subs = '^!';
      const givenUp: number[] = [];

      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => () => Action.after(500, Action.continue()),
          sendToDLQ: () => of(),
          logger: noopLogger,
          leaving$: left,
          giveUp: () => givenUp.push(scheduler.now()),
        }),
      );

      expectObservable(result, '^--!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe(subs);
      scheduler.flush();
      expect(givenUp).toEqual([1]);
    });
  });

  it('should error with the original error on fail', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const error = failing();
      const source = cold('#', {}, error);
      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => silentFail(),
          sendToDLQ: () => of(),
          logger: noopLogger,
        }),
      );
      expectObservable(result).toBe('#', undefined, error);
    });
  });

  it('should ask the handler of the error’s phase, and unknown for untagged errors', () => {
    const asked: string[] = [];
    const handlerFor =
      (phase: string): ErrorHandler =>
      () => {
        asked.push(phase);
        return Action.continue();
      };
    const run = (error: unknown): void => {
      throwError(() => error)
        .pipe(handleErrors({ record, handlerFor, sendToDLQ: () => of(), logger: noopLogger }))
        .subscribe();
    };
    run(new SerdeError('bad json', { topic: 'orders' }));
    run(failing());
    run('a string');
    expect(asked).toEqual(['serde', 'processing', 'unknown']);
  });

  it('should re-run the record from its source on each retry', () => {
    scheduler.run(({ expectObservable }) => {
      let runs = 0;
      const source = defer(() => {
        runs += 1;
        return runs < 3 ? throwError(() => failing()) : of('done');
      });
      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => () => Action.retry(10),
          sendToDLQ: () => of(),
          logger: noopLogger,
        }),
      );
      expectObservable(result).toBe('20ms (d|)', { d: 'done' });
    });
  });

  it('should await a handler that returns a Promise', async () => {
    const result = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      let first = true;
      const source = new Observable<string>((s) => {
        if (first) {
          first = false;
          s.error(failing());
        } else {
          s.next('second run');
          s.complete();
        }
      });
      source
        .pipe(
          handleErrors({
            record,
            handlerFor: () => async () => Action.retry(0),
            sendToDLQ: () => of(),
            logger: noopLogger,
          }),
        )
        .subscribe({ next: (v) => seen.push(v), error: reject, complete: () => resolve(seen) });
    });
    expect(result).toEqual(['second run']);
  });

  it('should warn every tenth attempt', () => {
    const logger = recordingLogger();
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('#', {}, failing());
      const result = source.pipe(
        handleErrors({
          record,
          handlerFor: () => withMaxAttempts(21, fixedBackoff(1), silentFail()),
          sendToDLQ: () => of(),
          logger,
        }),
      );
      expectObservable(result).toBe('21ms #', undefined, failing());
    });
    const warnings = logger.entries.filter((e) => e.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.fields).toMatchObject({ offset: '41', node: 'MAP-0000000002' });
  });

  it('should turn a handler that throws into an error of the pipeline', () => {
    const boom = new Error('handler bug');
    const errors: unknown[] = [];
    concat(throwError(() => failing()))
      .pipe(
        handleErrors({
          record,
          handlerFor: () => () => {
            throw boom;
          },
          sendToDLQ: () => of(),
          logger: noopLogger,
        }),
      )
      .subscribe({ error: (e: unknown) => errors.push(e) });
    expect(errors).toEqual([boom]);
  });
});

describe('dlqRecord', () => {
  it('should keep key, value and headers and add the error headers', () => {
    const ec: ErrorContext = {
      record,
      error: new Error('bad'),
      attempt: 3,
      nodeName: 'MAP-1',
      phase: 'processing',
    };
    const out = dlqRecord('orders.dlq', ec, 12345);
    expect(out.topic).toBe('orders.dlq');
    expect(out.key).toEqual(Buffer.from('k'));
    expect(out.value).toEqual(Buffer.from('v'));
    expect(out.headers?.['trace']?.toString()).toBe('t');
    expect(dlqHeaders(out.headers)).toEqual({
      originalTopic: 'orders',
      originalPartition: '1',
      originalOffset: '41',
      errorTimestamp: '1970-01-01T00:00:12.345Z',
      errorTimestampMs: '12345',
      errorAttempt: '3',
      errorMessage: 'bad',
      errorNode: 'MAP-1',
      errorPhase: 'processing',
    });
  });
});
