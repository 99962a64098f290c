import { ConfigError } from '../errors/config-error';
import type { Backoff } from './backoff';
import { checkKnownKeys } from '../errors/known-keys';

/** Settings of {@link exponentialBackoff}. */
export interface ExponentialBackoffOptions {
  /** Delay after the first failed attempt (default 100). */
  readonly initialMs?: number | undefined;
  /** No delay is longer than this (default 30000). */
  readonly maxMs?: number | undefined;
  /** Each delay is the previous one times this (default 2). */
  readonly multiplier?: number | undefined;
  /**
   * Fraction of the delay to randomise, 0..1 (default 0): a delay d becomes a value in
   * [d·(1−jitter), d] so that many failing records do not retry in lockstep.
   */
  readonly jitter?: number | undefined;
  /** Source of randomness in [0, 1) (default Math.random); inject it for repeatable tests. */
  readonly random?: (() => number) | undefined;
}

/**
 * `initialMs · multiplier^(attempt−1)`, capped at `maxMs`, with optional jitter.
 *
 * @example
 * withMaxAttempts(5, exponentialBackoff({ initialMs: 200, maxMs: 5000, multiplier: 2, jitter: 0.2 }), logAndFail(logger));
 */
export const exponentialBackoff = (options: ExponentialBackoffOptions = {}): Backoff => {
  checkKnownKeys<ExponentialBackoffOptions>('exponentialBackoff', options, {
    initialMs: true,
    maxMs: true,
    multiplier: true,
    jitter: true,
    random: true,
  });
  const {
    initialMs = 100,
    maxMs = 30_000,
    multiplier = 2,
    jitter = 0,
    random = Math.random,
  } = options;
  const check = (name: string, ok: boolean, value: number, rule: string): void => {
    if (!ok) throw new ConfigError(`exponentialBackoff ${name}`, `${rule}, got ${value}`);
  };
  check(
    'initialMs',
    Number.isFinite(initialMs) && initialMs >= 0,
    initialMs,
    'must be a finite number >= 0',
  );
  check(
    'maxMs',
    Number.isFinite(maxMs) && maxMs >= initialMs,
    maxMs,
    `must be a finite number >= initialMs (${initialMs})`,
  );
  check(
    'multiplier',
    Number.isFinite(multiplier) && multiplier >= 1,
    multiplier,
    'must be a finite number >= 1',
  );
  check('jitter', jitter >= 0 && jitter <= 1, jitter, 'must be between 0 and 1');
  return (attempt) => {
    const exponent = Math.max(0, attempt - 1);
    const delay = Math.min(maxMs, initialMs * Math.pow(multiplier, exponent));
    return Math.round(delay * (1 - jitter * random()));
  };
};
