import { cpus, freemem, loadavg, release, totalmem, type } from 'node:os';
import { codeVersion } from './code-version';

/** Where and when a run happened. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly node: string;
  readonly os: string;
  /** ISO date and time (UTC) of the run's start. */
  readonly date: string;
  /** 1-, 5- and 15-minute load averages at the start (other processes share the machine). */
  readonly load: readonly [number, number, number];
  /** The commit of the code measured. */
  readonly code: string;
}

/**
 * The machine the benchmarks run on.
 *
 * @example
 * describeMachine(machine()); // 'AMD EPYC 7B13, 2 cores, 23.5 GiB RAM, Node v20.20.2, ...'
 */
export const machine = (): Machine => {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    ramGiB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${type()} ${release()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    load: [one, five, fifteen],
    code: codeVersion(),
  };
};

/** The current load average, as `uptime` prints it. */
export const currentLoad = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

/** One line describing the machine and its load. */
export const describeMachine = (m: Machine): string =>
  `${m.cpu}, ${m.cores} cores, ${m.ramGiB.toFixed(1)} GiB RAM (${(freemem() / 1024 ** 3).toFixed(1)} GiB free), ` +
  `Node ${m.node}, ${m.os}; load average ${m.load.map((l) => l.toFixed(2)).join(', ')} at start; code ${m.code}`;
