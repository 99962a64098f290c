import { pipe } from 'fp-ts/function';
import { ConfigError } from '../errors/config-error';
import { Action } from './action';
import type { ErrorHandler } from './error-handler';
import { mapAction } from './then-action';

/**
 * Dead-letter failing records to `topic`. Alone, every failure goes to the DLQ. With an
 * `inner` handler, the inner one decides and only its `fail` becomes a DLQ write, so
 * retries and skips still happen first.
 *
 * @example
 * withDLQ('orders.dlq');                                           // every failure
 * withDLQ('orders.dlq', withMaxAttempts(3, fixedBackoff(500), silentFail())); // after 3 attempts
 */
export const withDLQ = (topic: string, inner?: ErrorHandler): ErrorHandler => {
  if (typeof topic !== 'string' || topic.length === 0) {
    throw new ConfigError('withDLQ topic', 'must be a non-empty topic name');
  }
  if (inner === undefined) return () => Action.sendToDLQ(topic);
  return pipe(
    inner,
    mapAction((action) => (action._tag === 'Fail' ? Action.sendToDLQ(topic) : action)),
  );
};
