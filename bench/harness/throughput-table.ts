import { fmt } from './format';
import type { Table } from './table';
import type { ContenderSummary } from './trial';

/**
 * The usual table of a throughput benchmark: rate, ratio to the baseline, CPU and memory.
 *
 * @example
 * throughputTable(summaries, summaries.find((s) => s.id === 'hand'));
 */
export const throughputTable = (
  summaries: readonly ContenderSummary[],
  baseline: ContenderSummary | undefined,
): Table => ({
  headers: [
    'contender',
    'runs',
    'records',
    'records/s (median)',
    'best',
    'ratio',
    'records/CPU-s',
    'heap peak',
    'heap growth',
    'RSS peak',
  ],
  rows: summaries.map((s) => [
    s.label,
    String(s.runs),
    s.capped ? `${fmt.int(s.records)} (time cap)` : fmt.int(s.records),
    fmt.rate(s.medianRate),
    fmt.rate(s.bestRate),
    baseline === undefined ? '—' : fmt.ratio(s.medianRate / baseline.medianRate),
    fmt.int(s.ratePerCpu),
    fmt.mb(s.heapPeakMB),
    fmt.mb(s.heapGrowthMB),
    fmt.mb(s.rssPeakMB),
  ]),
});
