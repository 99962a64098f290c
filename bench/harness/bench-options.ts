/** What one `npm run bench` invocation runs, from its command line and environment. */
export interface BenchOptions {
  /** Benchmark ids to run; undefined runs all of them. */
  readonly only?: ReadonlySet<string>;
  /** Contender ids to run within each benchmark; undefined runs all of them. */
  readonly contenders?: ReadonlySet<string>;
  /** Multiplies every record count and duration (1 = the sizes the issue asks for). */
  readonly scale: number;
  /** Measured rounds per contender (alternating order); undefined: each benchmark's default. */
  readonly rounds?: number;
  /** Kafka bootstrap brokers for the real-broker benchmarks. */
  readonly brokers: readonly string[];
  /** Write the results into the performance document. */
  readonly write: boolean;
  /** The document the results go to. */
  readonly out: string;
  /** Longest one contender's run may take; a longer one stops and reports what it did. */
  readonly maxRunSeconds: number;
  /** Print usage and exit. */
  readonly help: boolean;
}

export const USAGE = `npm run bench -- [options]

  --only a,b          run only these benchmarks (ids below)
  --contenders a,b    run only these contenders (hand, single, partitioned, kafka-streams)
  --scale x           multiply record counts and durations (default 1; 0.1 for a quick run)
  --rounds n          measured rounds per contender in hot-path and broker (default 1 and 2)
  --max-run-seconds s longest one contender's run may take (default 90); a capped run
                      reports its rate over the records it finished
  --brokers h:p,...   Kafka brokers (default $KAFKA_BROKERS or 127.0.0.1:9092)
  --no-write          do not update docs/performance.md
  --out path          where the results go (default docs/performance.md)
  --help              this text`;

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * Parses `npm run bench -- ...` arguments; a bad flag or value throws an Error naming it.
 *
 * @example
 * parseBenchOptions(['--only', 'hot-path,io', '--scale', '0.1'], {}, ['hot-path', 'io']);
 */
export const parseBenchOptions = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  benchmarkIds: readonly string[],
): BenchOptions => {
  let only: Set<string> | undefined;
  let contenders: Set<string> | undefined;
  let scale = 1;
  let rounds: number | undefined;
  let maxRunSeconds = 90;
  let brokers = splitList(env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
  let write = true;
  let out = 'docs/performance.md';
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      i += 1;
      return v;
    };
    switch (flag) {
      case '--only': {
        only = new Set(splitList(value()));
        const unknown = [...only].filter((id) => !benchmarkIds.includes(id));
        if (unknown.length > 0) {
          throw new Error(
            `--only: unknown benchmark ${unknown.join(', ')} (known: ${benchmarkIds.join(', ')})`,
          );
        }
        break;
      }
      case '--contenders':
        contenders = new Set(splitList(value()));
        break;
      case '--scale': {
        const raw = value();
        scale = Number(raw);
        if (!Number.isFinite(scale) || scale <= 0 || scale > 10) {
          throw new Error(`--scale must be a number in (0, 10], got ${raw}`);
        }
        break;
      }
      case '--rounds': {
        const raw = value();
        rounds = Number(raw);
        if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
          throw new Error(`--rounds must be an integer from 1 to 20, got ${raw}`);
        }
        break;
      }
      case '--max-run-seconds': {
        const raw = value();
        maxRunSeconds = Number(raw);
        if (!Number.isFinite(maxRunSeconds) || maxRunSeconds < 1) {
          throw new Error(`--max-run-seconds must be a number >= 1, got ${raw}`);
        }
        break;
      }
      case '--brokers':
        brokers = splitList(value());
        break;
      case '--no-write':
        write = false;
        break;
      case '--out':
        out = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  if (brokers.length === 0) throw new Error('--brokers / KAFKA_BROKERS names no broker');
  return { only, contenders, scale, rounds, brokers, write, out, maxRunSeconds, help };
};
