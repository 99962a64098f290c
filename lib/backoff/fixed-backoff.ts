import { ConfigError } from '../errors/config-error';
import type { Backoff } from './backoff';

/**
 * The same delay after every attempt.
 *
 * @example
 * withMaxAttempts(3, fixedBackoff(1000), logAndFail(logger)); // attempts at 0, 1 s, 2 s
 */
export const fixedBackoff = (delayMs: number): Backoff => {
  if (!Number.isFinite(delayMs) || delayMs < 0) {
    throw new ConfigError('fixedBackoff delayMs', `must be a finite number >= 0, got ${delayMs}`);
  }
  return () => delayMs;
};
