import { flow, pipe } from 'fp-ts/lib/function.js';
import { recordingLogger } from '../support/recording-logger';
import {
  Action,
  actionLogger,
  type ErrorContext,
  type ErrorHandler,
  fixedBackoff,
  logAndContinue,
  logAndFail,
  mapAction,
  silentFail,
  withDLQ,
  withMaxAttempts,
} from 'rx-kstreams';

const context = (attempt = 1): ErrorContext => ({
  record: {
    key: null,
    value: Buffer.from('x'),
    topic: 'orders',
    partition: 2,
    offset: '7',
    timestamp: 0,
    headers: {},
  },
  error: new Error('boom'),
  attempt,
  nodeName: 'MAP-0000000002',
  phase: 'processing',
});

describe('Action', () => {
  it('should build each tagged case', () => {
    expect(Action.continue()).toEqual({ _tag: 'Continue' });
    expect(Action.retry()).toEqual({ _tag: 'Retry', delayMs: 0 });
    expect(Action.retry(250)).toEqual({ _tag: 'Retry', delayMs: 250 });
    expect(Action.fail()).toEqual({ _tag: 'Fail' });
    expect(Action.sendToDLQ('dlq')).toEqual({ _tag: 'SendToDLQ', topic: 'dlq' });
  });

  it('should delay an action with after, adding waits up and leaving a zero wait out', () => {
    expect(Action.after(100, Action.continue())).toEqual({ _tag: 'Continue', afterMs: 100 });
    expect(Action.after(50, Action.after(100, Action.fail()))).toEqual({
      _tag: 'Fail',
      afterMs: 150,
    });
    expect(Action.after(0, Action.fail())).toEqual(Action.fail());
  });

  it('should refuse a wait that is not a finite number of ms >= 0', () => {
    expect(() => Action.after(-1, Action.fail())).toThrow(/Action.after delayMs.*got a number -1/);
    expect(() => Action.after('10' as never, Action.fail())).toThrow(/got a string "10"/);
  });
});

describe('silentFail', () => {
  it('should fail', () => {
    expect(silentFail()(context())).toEqual(Action.fail());
  });
});

describe('logAndContinue', () => {
  it('should log where the error happened and continue', () => {
    const logger = recordingLogger();
    expect(logAndContinue(logger)(context())).toEqual(Action.continue());
    expect(logger.entries).toEqual([
      {
        level: 'error',
        message: 'record failed, skipping it',
        fields: expect.objectContaining({
          topic: 'orders',
          partition: 2,
          offset: '7',
          node: 'MAP-0000000002',
          error: 'boom',
        }),
      },
    ]);
  });
});

describe('logAndFail', () => {
  it('should log and fail', () => {
    const logger = recordingLogger();
    expect(logAndFail(logger)(context())).toEqual(Action.fail());
    expect(logger.entries[0]?.level).toBe('error');
  });
});

describe('withMaxAttempts', () => {
  it('should retry with the backoff until the last attempt, then ask the fallback after one more wait, as go-streams times it', () => {
    const handler = withMaxAttempts(
      3,
      (attempt) => attempt * 100,
      () => Action.sendToDLQ('dlq'),
    );
    expect(handler(context(1))).toEqual(Action.retry(100));
    expect(handler(context(2))).toEqual(Action.retry(200));
    expect(handler(context(3))).toEqual(Action.after(300, Action.sendToDLQ('dlq')));
    expect(handler(context(3))).toEqual({ _tag: 'SendToDLQ', topic: 'dlq', afterMs: 300 });
  });

  it('should wait for an asynchronous fallback, then add its wait', async () => {
    const handler = withMaxAttempts(1, fixedBackoff(50), async () => Action.continue());
    await expect(handler(context(1))).resolves.toEqual({ _tag: 'Continue', afterMs: 50 });
  });

  it('should refuse a maxAttempts below 1', () => {
    expect(() => withMaxAttempts(0, fixedBackoff(1), silentFail())).toThrow(/maxAttempts/);
  });
});

describe('withDLQ', () => {
  it('should dead-letter every failure when alone', () => {
    expect(withDLQ('orders.dlq')(context())).toEqual(Action.sendToDLQ('orders.dlq'));
  });

  it('should turn the inner handler’s continue into a DLQ write, as go-streams does', async () => {
    const logger = recordingLogger();
    expect(withDLQ('orders.dlq', logAndContinue(logger))(context())).toEqual(
      Action.sendToDLQ('orders.dlq'),
    );
    expect(logger.entries).toHaveLength(1);
    const asyncInner: ErrorHandler = async () => Action.continue();
    await expect(withDLQ('orders.dlq', asyncInner)(context())).resolves.toEqual(
      Action.sendToDLQ('orders.dlq'),
    );
  });

  it('should keep the inner handler’s retry, fail and own DLQ', () => {
    const inner = (answer: Action): ErrorHandler => withDLQ('orders.dlq', () => answer);
    expect(inner(Action.retry(10))(context())).toEqual(Action.retry(10));
    expect(inner(Action.fail())(context())).toEqual(Action.fail());
    expect(inner(Action.sendToDLQ('other.dlq'))(context())).toEqual(Action.sendToDLQ('other.dlq'));
    expect(withDLQ('orders.dlq', logAndFail(recordingLogger()))(context())).toEqual(Action.fail());
  });

  it('should dead-letter after the last attempt in go-streams’ kgo_complete chain', () => {
    const logger = recordingLogger();
    // Quoted by docs/coming-from-go-streams.md.
    const handler = withMaxAttempts(3, fixedBackoff(1000), withDLQ('dlq', logAndContinue(logger)));
    expect([1, 2, 3].map((attempt) => handler(context(attempt)))).toEqual([
      Action.retry(1000),
      Action.retry(1000),
      Action.after(1000, Action.sendToDLQ('dlq')),
    ]);
  });

  it('should refuse an empty topic', () => {
    expect(() => withDLQ('')).toThrow(/withDLQ topic/);
  });
});

describe('actionLogger', () => {
  it('should log the chosen action at the given level and return it', async () => {
    const logger = recordingLogger();
    expect(actionLogger(logger, 'warn', () => Action.retry(5))(context())).toEqual(Action.retry(5));
    expect(logger.entries[0]).toEqual({
      level: 'warn',
      message: 'error handler chose Retry',
      fields: expect.objectContaining({ action: Action.retry(5), phase: 'processing' }),
    });
    await expect(
      actionLogger(logger, 'info', async () => Action.continue())(context()),
    ).resolves.toEqual(Action.continue());
    expect(logger.entries[1]?.level).toBe('info');
  });
});

describe('mapAction', () => {
  const failToContinue = mapAction((action) =>
    action._tag === 'Fail' ? Action.continue() : action,
  );

  it('should compose with pipe, answering synchronously when the handler does', () => {
    const handler = pipe(withMaxAttempts(2, fixedBackoff(10), silentFail()), failToContinue);
    expect(handler(context(1))).toEqual(Action.retry(10));
    expect(handler(context(2))).toEqual(Action.after(10, Action.continue()));
  });

  it('should keep the wait of the action it replaces', () => {
    const dropWaitless = mapAction(() => Action.fail());
    const withWait = mapAction(() => Action.after(5, Action.fail()));
    const waiting: ErrorHandler = () => Action.after(20, Action.continue());
    expect(dropWaitless(waiting)(context())).toEqual({ _tag: 'Fail', afterMs: 20 });
    expect(withWait(waiting)(context())).toEqual({ _tag: 'Fail', afterMs: 5 });
  });

  it('should wait for an asynchronous handler and pass the error context along', async () => {
    const seen: number[] = [];
    const slow: ErrorHandler = async () => Action.fail();
    const handler = flow(
      mapAction((action, ec) => {
        seen.push(ec.attempt);
        return action;
      }),
      failToContinue,
    )(slow);
    const answer = handler(context(3));
    expect(answer).toBeInstanceOf(Promise);
    await expect(answer).resolves.toEqual(Action.continue());
    expect(seen).toEqual([3]);
  });

  it('should let a handler error through untouched', () => {
    const broken: ErrorHandler = () => {
      throw new Error('handler bug');
    };
    expect(() => pipe(broken, failToContinue)(context())).toThrow('handler bug');
  });
});
