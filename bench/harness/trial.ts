import { collectGarbage } from './gc';
import { type MemoryPeaks, MemorySampler } from './memory-sampler';

/** What a timed run reports: input records it processed, and figures of its own. */
export interface TrialResult {
  readonly records: number;
  readonly extra?: Readonly<Record<string, number | string>>;
}

/** One prepared run: the timed body, and what to tidy up afterwards (not timed). */
export interface Trial {
  /**
   * The timed part. Call `stopClock` to end the timing early (for example once every
   * output is acknowledged, before a shutdown that is not part of the work).
   */
  run(stopClock: () => void): Promise<TrialResult>;
  cleanup?(): Promise<void>;
}

/** One of the things a benchmark compares. */
export interface Contender {
  /** Short id, used by `--contenders`: hand, single, partitioned, kafka-streams. */
  readonly id: string;
  readonly label: string;
  /** Sets up a run outside the timer (data, topics, clients). */
  prepare(): Promise<Trial>;
}

/** One measured run of one contender. */
export interface Measurement {
  readonly id: string;
  readonly label: string;
  readonly round: number;
  readonly records: number;
  readonly wallMs: number;
  /** CPU time of the whole process (user + system) while the clock ran. */
  readonly cpuMs: number;
  readonly memory: MemoryPeaks;
  readonly extra: Readonly<Record<string, number | string>>;
}

/** Records per second of wall time. */
export const rateOf = (m: Pick<Measurement, 'records' | 'wallMs'>): number =>
  m.wallMs > 0 ? (m.records * 1000) / m.wallMs : 0;

/**
 * Prepares, then times one run of a contender: a GC first, memory sampled throughout,
 * wall and process CPU time.
 *
 * @example
 * const m = await measure(contender, 1);
 * console.log(rateOf(m));
 */
export const measure = async (contender: Contender, round: number): Promise<Measurement> => {
  const trial = await contender.prepare();
  collectGarbage();
  const sampler = new MemorySampler();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let stopped: { wallMs: number; cpuMs: number } | undefined;
  const stopClock = (): void => {
    if (stopped !== undefined) return;
    const cpu = process.cpuUsage(cpu0);
    stopped = { wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  let result: TrialResult;
  try {
    result = await trial.run(stopClock);
    stopClock();
  } finally {
    await trial.cleanup?.();
  }
  const memory = sampler.stop();
  collectGarbage();
  return {
    id: contender.id,
    label: contender.label,
    round,
    records: result.records,
    wallMs: stopped!.wallMs,
    cpuMs: stopped!.cpuMs,
    memory,
    extra: result.extra ?? {},
  };
};

/**
 * Runs every contender `rounds` times, rotating the order each round so none always runs
 * first (cold) or last (after the others' garbage), and logs each run as it ends.
 *
 * @example
 * const all = await alternate([hand, single, partitioned], 2, console.log);
 */
export const alternate = async (
  contenders: readonly Contender[],
  rounds: number,
  log: (line: string) => void,
): Promise<Measurement[]> => {
  const all: Measurement[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const shift = (round - 1) % contenders.length;
    const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
    for (const contender of order) {
      const m = await measure(contender, round);
      log(
        `  round ${round} ${contender.label}: ${m.records.toLocaleString('en-US')} records${m.extra['capped'] === 'yes' ? ' (time cap reached)' : ''} in ${(m.wallMs / 1000).toFixed(2)} s = ${Math.round(rateOf(m)).toLocaleString('en-US')}/s (cpu ${(m.cpuMs / 1000).toFixed(2)} s, heap peak ${m.memory.heapPeakMB.toFixed(0)} MiB, rss peak ${m.memory.rssPeakMB.toFixed(0)} MiB)`,
      );
      all.push(m);
    }
  }
  return all;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A contender's runs folded into one line: median rate, best rate, peaks over all runs. */
export interface ContenderSummary {
  readonly id: string;
  readonly label: string;
  readonly runs: number;
  readonly records: number;
  readonly medianRate: number;
  readonly bestRate: number;
  /** Median records per CPU-second of the process: less sensitive to a shared machine. */
  readonly ratePerCpu: number;
  readonly heapPeakMB: number;
  readonly heapGrowthMB: number;
  readonly rssPeakMB: number;
  /** Some run hit the time cap; its rate is over the records it finished. */
  readonly capped: boolean;
}

/**
 * Folds measurements per contender, in the contenders' first-seen order.
 *
 * @example
 * const [hand, single] = summarize(await alternate([hand, single], 2, log));
 */
export const summarize = (measurements: readonly Measurement[]): ContenderSummary[] => {
  const ids = [...new Set(measurements.map((m) => m.id))];
  return ids.map((id) => {
    const runs = measurements.filter((m) => m.id === id);
    return {
      id,
      label: runs[0]!.label,
      runs: runs.length,
      records: Math.min(...runs.map((m) => m.records)),
      medianRate: median(runs.map(rateOf)),
      bestRate: Math.max(...runs.map(rateOf)),
      ratePerCpu: median(runs.map((m) => (m.cpuMs > 0 ? (m.records * 1000) / m.cpuMs : 0))),
      heapPeakMB: Math.max(...runs.map((m) => m.memory.heapPeakMB)),
      heapGrowthMB: Math.max(...runs.map((m) => m.memory.heapPeakMB - m.memory.heapBaseMB)),
      rssPeakMB: Math.max(...runs.map((m) => m.memory.rssPeakMB)),
      capped: runs.some((m) => m.extra['capped'] === 'yes'),
    };
  });
};
