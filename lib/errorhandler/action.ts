import { ConfigError } from '../errors/config-error';
import { describeValue } from '../errors/kind-of';
import { requireTopicName } from '../kafka/topic-name';

/**
 * What to do with a record whose pipeline failed. A tagged union, built with the
 * {@link Action} constructors and told apart by `_tag`.
 */
export type Action =
  | { readonly _tag: 'Continue' }
  | { readonly _tag: 'Retry'; readonly delayMs: number }
  | { readonly _tag: 'Fail' }
  | { readonly _tag: 'SendToDLQ'; readonly topic: string };

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
  retry: (delayMs = 0): Action => {
    if (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0) {
      throw new ConfigError(
        'Action.retry delayMs',
        `must be a finite number of ms >= 0, got ${describeValue(delayMs)}`,
      );
    }
    return { _tag: 'Retry', delayMs };
  },
  /** Stop the application: the run rejects with the error; the record is not committed. */
  fail: (): Action => ({ _tag: 'Fail' }),
  /** Write the raw input record to `topic` with error headers, then skip it. */
  sendToDLQ: (topic: string): Action => ({
    _tag: 'SendToDLQ',
    topic: requireTopicName('Action.sendToDLQ topic', topic),
  }),
} as const;
