/**
 * How long to wait before attempt `attempt + 1`, given that `attempt` (1-based) failed.
 *
 * @example
 * const wait: Backoff = (attempt) => attempt * 100; // 100, 200, 300 ms, ...
 */
export type Backoff = (attempt: number) => number;
