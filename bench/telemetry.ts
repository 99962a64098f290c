import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { MeterProvider as ApiMeterProvider, TracerProvider } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type * as Library from '../lib/index';
import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { fmt } from './harness/format';
import { loadOrders, recordCount } from './harness/in-memory-load';
import {
  keep,
  makeOrders,
  type Order,
  type OrderData,
  type PricedOrder,
  price,
} from './harness/orders';
import { throughputTable } from './harness/throughput-table';
import { inputsDone, untilOutputs } from './harness/until-outputs';
import { alternate, type Contender, summarize, type Trial } from './harness/trial';
import { ratioVerdict } from './harness/verdict';

const INPUT = 'orders';
const OUTPUT = 'orders.priced';
const PARTITIONS = 8;
const root = path.join(__dirname, '..');

/** An exporter that counts the spans it is given and keeps none: the SDK's cost, not the store's. */
class CountingExporter implements SpanExporter {
  spans = 0;
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

class QuietReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/**
 * The library as it was at `rev`: its `lib/` extracted from git into `.cache/` (once), so the
 * baseline runs side by side with the working tree in one process.
 */
const libraryAt = async (rev: string): Promise<typeof Library> => {
  const sha = execFileSync('git', ['rev-parse', '--short', rev], {
    cwd: root,
    encoding: 'utf8',
  }).trim();
  const dir = path.join(root, '.cache', 'bench-baseline', sha);
  if (!existsSync(path.join(dir, 'lib', 'index.ts'))) {
    mkdirSync(dir, { recursive: true });
    const archive = execFileSync('git', ['archive', sha, 'lib'], { cwd: root, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', dir], { input: archive });
  }
  return (await import(path.join(dir, 'lib', 'index.ts'))) as typeof Library;
};

/** The commit before telemetry came in: the baseline of "no SDK costs nothing". */
const beforeTelemetry = (): string => {
  const added = execFileSync(
    'git',
    ['log', '--diff-filter=A', '--format=%H', '--', 'lib/otel/telemetry.ts'],
    { cwd: root, encoding: 'utf8' },
  )
    .trim()
    .split('\n')
    .pop();
  return added === undefined || added === '' ? 'HEAD' : `${added}^`;
};

interface Setting {
  readonly id: string;
  readonly label: string;
  readonly lib: () => Promise<typeof Library>;
  /** The runner's telemetry option, made fresh for each run (and what to close after). */
  readonly telemetry?: () => {
    options: { tracerProvider?: TracerProvider; meterProvider?: ApiMeterProvider };
    close: () => Promise<void>;
    spans: () => number;
  };
}

const withSdk = (tracing: boolean) => () => {
  const exporter = new CountingExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const meterProvider = new MeterProvider({ readers: [new QuietReader()] });
  return {
    options: tracing ? { tracerProvider, meterProvider } : { meterProvider },
    close: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
    spans: () => exporter.spans,
  };
};

const contender = (setting: Setting, data: OrderData, capMs: number): Contender => ({
  id: setting.id,
  label: setting.label,
  prepare: async (): Promise<Trial> => {
    const lib = await setting.lib();
    const kafka = new lib.InMemoryKafka({ autoCreateTopics: false });
    kafka.createTopic(INPUT, { partitions: PARTITIONS });
    kafka.createTopic(OUTPUT, { partitions: PARTITIONS });
    loadOrders(kafka as unknown as Library.InMemoryKafka, INPUT, data);
    const builder = new lib.StreamsBuilder();
    builder
      .stream(INPUT, { key: lib.Serdes.string(), value: lib.Serdes.json<Order>() })
      .pipe(
        lib.filter((_key, order): order is Order => keep(order)),
        lib.mapValues((order: Order): PricedOrder => price(order)),
      )
      .to(OUTPUT, { key: lib.Serdes.string(), value: lib.Serdes.json<PricedOrder>() });
    const app = new lib.Application(kafka.client({ groupId: setting.id }), builder.build());
    const sdk = setting.telemetry?.();
    const runner = lib.partitionedRunner(
      (sdk === undefined ? {} : { telemetry: sdk.options }) as Library.PartitionedRunnerOptions,
    );
    return {
      run: async (stopClock) => {
        const running = app.runWith(undefined, runner);
        let failed: unknown;
        running.catch((error: unknown) => (failed = error ?? new Error('run failed')));
        const count = () => recordCount(kafka as unknown as Library.InMemoryKafka, OUTPUT);
        const reached = await untilOutputs(count, data.kept, capMs, 5, () => failed);
        if (reached.capped) stopClock();
        app.close();
        await running;
        const spans = sdk?.spans() ?? 0;
        await sdk?.close();
        return {
          records: inputsDone(reached, data.count, data.kept),
          extra: { capped: reached.capped ? 'yes' : 'no', spans: fmt.int(spans) },
        };
      },
    };
  },
});

/** The cost of telemetry per record, from two rates (records/s). */
const microsPerRecord = (rate: number, baseline: number): string =>
  rate > 0 && baseline > 0 ? `${((1 / rate - 1 / baseline) * 1e6).toFixed(2)} µs` : '—';

/** Benchmark 7: what telemetry costs on the in-memory hot path (partitioned runner). */
export const telemetry: Benchmark = {
  id: 'telemetry',
  title: '7. Telemetry: no SDK against the code before telemetry, and with an SDK',
  needsBroker: false,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(500_000, 1000);
    const baselineRev = execFileSync(
      'git',
      ['rev-parse', '--short', process.env['BENCH_TELEMETRY_BASELINE'] ?? beforeTelemetry()],
      { cwd: root, encoding: 'utf8' },
    ).trim();
    const current = async () => (await import('../lib/index')) as typeof Library;
    const settings: Setting[] = [
      {
        id: 'before',
        label: `before telemetry (${baselineRev})`,
        lib: () => libraryAt(baselineRev),
      },
      { id: 'off', label: 'no SDK registered', lib: current },
      { id: 'metrics', label: 'SDK: metrics only', lib: current, telemetry: withSdk(false) },
      { id: 'sdk', label: 'SDK: traces and metrics', lib: current, telemetry: withSdk(true) },
    ];
    ctx.log(`  generating ${fmt.int(count)} orders ...`);
    const data = makeOrders(count);
    const warm = makeOrders(Math.min(count, 20_000));
    for (const s of settings)
      await (await contender(s, warm, ctx.runCapMs).prepare()).run(() => undefined);
    const rounds = ctx.rounds(3);
    const contenders = ctx.select(settings.map((s) => contender(s, data, ctx.runCapMs)));
    const summaries = summarize(await alternate(contenders, rounds, ctx.log));
    const rate = (id: string): number => summaries.find((s) => s.id === id)?.medianRate ?? 0;
    const before = summaries.find((s) => s.id === 'before');
    return {
      id: telemetry.id,
      title: telemetry.title,
      setup: `${fmt.int(count)} JSON records, ${PARTITIONS} partitions, partitionedRunner with default options, source → filter → mapValues → to; the baseline is lib/ of ${baselineRev} loaded side by side; ${rounds} round(s), the order rotating each round, after a warm-up; spans go to an exporter that counts them`,
      tables: [
        throughputTable(summaries, before),
        {
          headers: ['setting', 'cost per record against no SDK'],
          rows: [
            ['SDK: metrics only', microsPerRecord(rate('metrics'), rate('off'))],
            ['SDK: traces and metrics', microsPerRecord(rate('sdk'), rate('off'))],
          ],
        },
      ],
      verdicts: [
        ratioVerdict('no SDK / before telemetry', rate('off'), rate('before'), 0.98),
        ratioVerdict('SDK traces and metrics / no SDK', rate('sdk'), rate('off')),
      ],
      notes: [
        'Without an SDK the runner resolves the global providers once per run, finds them no-ops and does no per-record telemetry work (one property read per record and per node).',
        'With an SDK every record gets a process span, a send span per output, and poll and commit spans; counters and histograms are recorded per record.',
      ],
    };
  },
};
