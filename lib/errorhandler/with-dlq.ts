import { pipe } from 'fp-ts/lib/function.js';
import { requireTopicName } from '../kafka/topic-name';
import { Action } from './action';
import type { ErrorHandler } from './error-handler';
import { mapAction } from './then-action';

/**
 * Dead-letter failing records to `topic`, as go-streams' `WithDLQ` does: where the `inner`
 * handler would skip the record (`continue`), it goes to the DLQ instead; the inner
 * handler's other actions (retry, fail, another DLQ) stand. Without an inner handler every
 * failure goes to the DLQ. Put it last in a chain, as the fallback of `withMaxAttempts`.
 *
 * @example
 * withDLQ('orders.dlq'); // every failure
 * // three attempts, then logged and dead-lettered
 * withMaxAttempts(3, fixedBackoff(500), withDLQ('orders.dlq', logAndContinue(logger)));
 * // logAndFail's fail stands: the run stops, nothing is dead-lettered
 * withDLQ('orders.dlq', logAndFail(logger));
 */
export const withDLQ = (topic: string, inner?: ErrorHandler): ErrorHandler => {
  // Checked and built once: the action is the same for every record dead-lettered.
  const deadLetter = Action.sendToDLQ(requireTopicName('withDLQ topic', topic));
  if (inner === undefined) return () => deadLetter;
  return pipe(
    inner,
    mapAction((action) => (action._tag === 'Continue' ? deadLetter : action)),
  );
};
