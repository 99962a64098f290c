import { ConfigError } from '../errors/config-error';
import { describeValue } from '../errors/kind-of';
import { requireTopicName } from '../kafka/topic-name';

/**
 * What to do with a record whose pipeline failed. A tagged union, built with the
 * {@link Action} constructors and told apart by `_tag`. `afterMs`, set by
 * {@link Action.after}, makes the runner wait that long before it acts.
 */
export type Action =
  | { readonly _tag: 'Continue'; readonly afterMs?: number }
  | { readonly _tag: 'Retry'; readonly delayMs: number; readonly afterMs?: number }
  | { readonly _tag: 'Fail'; readonly afterMs?: number }
  | { readonly _tag: 'SendToDLQ'; readonly topic: string; readonly afterMs?: number };

const requireDelay = (name: string, delayMs: unknown): number => {
  if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
    throw new ConfigError(
      name,
      `must be a finite number of ms >= 0, got ${describeValue(delayMs)}`,
    );
  }
  return delayMs;
};

/**
 * Constructors of {@link Action}.
 *
 * @example
 * const handler: ErrorHandler = (ec) =>
 *   ec.phase === 'serde' ? Action.sendToDLQ('orders.dlq') : ec.attempt < 3 ? Action.retry(500) : Action.fail();
 */
export const Action = {
  /** Skip the record: it counts as done and its offset is committed. */
  continue: (): Action => ({ _tag: 'Continue' }),
  /** Run the record again from its source after `delayMs` (default 0; a finite number >= 0). */
  retry: (delayMs = 0): Action => ({
    _tag: 'Retry',
    delayMs: requireDelay('Action.retry delayMs', delayMs),
  }),
  /** Stop the application: the run rejects with the error; the record is not committed. */
  fail: (): Action => ({ _tag: 'Fail' }),
  /** Write the raw input record to `topic` with error headers, then skip it. */
  sendToDLQ: (topic: string): Action => ({
    _tag: 'SendToDLQ',
    topic: requireTopicName('Action.sendToDLQ topic', topic),
  }),
  /**
   * `action`, taken `delayMs` later (on the runner's scheduler). A shutdown or revocation
   * cuts the wait short: the record is then given up, uncommitted, and read again.
   * `withMaxAttempts` uses it to wait its backoff before the fallback, as go-streams does.
   *
   * @example
   * Action.after(1000, Action.sendToDLQ('orders.dlq')); // dead-letter in a second
   */
  after: (delayMs: number, action: Action): Action => {
    const wait = requireDelay('Action.after delayMs', delayMs);
    return wait === 0 ? action : { ...action, afterMs: (action.afterMs ?? 0) + wait };
  },
} as const;
