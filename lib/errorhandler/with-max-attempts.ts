import type { Backoff } from '../backoff/backoff';
import { ConfigError } from '../errors/config-error';
import { Action } from './action';
import type { ErrorHandler } from './error-handler';

/**
 * Retry a failing record until it has been attempted `maxAttempts` times, waiting
 * `backoff(attempt)` between attempts; then let `fallback` decide.
 *
 * @example
 * // attempts at 0 ms, 1000 ms and 2000 ms, then the record goes to the DLQ
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
  return (ec) => (ec.attempt < maxAttempts ? Action.retry(backoff(ec.attempt)) : fallback(ec));
};
