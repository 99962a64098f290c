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
  /** Run the record again from its source after `delayMs` (default 0). */
  retry: (delayMs = 0): Action => ({ _tag: 'Retry', delayMs }),
  /** Stop the application: the run rejects with the error; the record is not committed. */
  fail: (): Action => ({ _tag: 'Fail' }),
  /** Write the raw input record to `topic` with error headers, then skip it. */
  sendToDLQ: (topic: string): Action => ({ _tag: 'SendToDLQ', topic }),
} as const;
