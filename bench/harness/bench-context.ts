import type { Contender } from './trial';

/** What every benchmark gets from the runner of benchmarks. */
export interface BenchContext {
  /** Multiplies record counts and durations. */
  readonly scale: number;
  /** Measured rounds per contender where a benchmark alternates rounds: `--rounds`, else `fallback`. */
  readonly rounds: (fallback: number) => number;
  readonly brokers: readonly string[];
  /** Prints a progress line. */
  log(line: string): void;
  /** The contenders `--contenders` lets through (all when it was not given). */
  select<C extends Pick<Contender, 'id'>>(contenders: readonly C[]): C[];
  /** Longest one contender's run may take, in ms; then it stops and reports what it did. */
  readonly runCapMs: number;
  /** `n * scale`, rounded, at least `min`. */
  scaled(n: number, min?: number): number;
}
