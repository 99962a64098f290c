import type { BenchContext } from './bench-context';
import type { Table } from './table';
import type { Verdict } from './verdict';

/** What one benchmark hands back: its tables, its checked figures and notes. */
export interface BenchReport {
  readonly id: string;
  readonly title: string;
  /** Set when the benchmark did not run (no broker, peer not installed): why. */
  readonly skipped?: string;
  /** Sizes and settings the run used, one line. */
  readonly setup: string;
  readonly tables: readonly Table[];
  readonly verdicts: readonly Verdict[];
  readonly notes: readonly string[];
}

/** One benchmark of `npm run bench`; each lives in its own file in bench/. */
export interface Benchmark {
  /** The id `--only` takes. */
  readonly id: string;
  readonly title: string;
  /** Needs a Kafka broker; skipped with a message when none answers. */
  readonly needsBroker: boolean;
  run(context: BenchContext): Promise<BenchReport>;
}

/**
 * A report for a benchmark that did not run.
 *
 * @example
 * return skipped(benchmark, 'no broker answered at 127.0.0.1:9092');
 */
export const skipped = (
  benchmark: Pick<Benchmark, 'id' | 'title'>,
  reason: string,
): BenchReport => ({
  id: benchmark.id,
  title: benchmark.title,
  skipped: reason,
  setup: '',
  tables: [],
  verdicts: [],
  notes: [],
});
