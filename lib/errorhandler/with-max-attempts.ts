import type { Backoff } from '../backoff/backoff';
import { ConfigError } from '../errors/config-error';
import { Action } from './action';
import type { ErrorHandler } from './error-handler';
import { thenAction } from './then-action';

/**
 * Retry a failing record until it has been attempted `maxAttempts` times; then let
 * `fallback` decide. Timed as go-streams' `WithMaxAttempts`: every failure waits
 * `backoff(attempt)` before its decision, the last one too, so the fallback's action is
 * taken `backoff(maxAttempts)` after the last attempt failed ({@link Action.after}). A
 * shutdown or revocation cuts a wait short (the record is given up, uncommitted).
 *
 * @example
 * // attempts at 0 ms, 1000 ms and 2000 ms; the record goes to the DLQ at 3000 ms
 * withMaxAttempts(3, fixedBackoff(1000), withDLQ('orders.dlq'));
 */
export const withMaxAttempts = (
  maxAttempts: number,
  backoff: Backoff,
  fallback: ErrorHandler,
): ErrorHandler => {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new ConfigError(
      'withMaxAttempts maxAttempts',
      `must be an integer >= 1, got ${maxAttempts}`,
    );
  }
  return (ec) => {
    const wait = backoff(ec.attempt);
    if (ec.attempt < maxAttempts) return Action.retry(wait);
    return thenAction(fallback(ec), (action) => Action.after(wait, action));
  };
};
