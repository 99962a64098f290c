import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Application,
  InMemoryKafka,
  type KeyValueBytesStoreSupplier,
  type RunnableTopology,
  Serdes,
  Stores,
  StreamsBuilder,
} from '../lib/index';
import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { BenchBroker, uniqueName } from './harness/broker';
import { type BenchClient, startBrokerApp } from './harness/broker-runner';
import { startFlowWordCount, type Workload } from './harness/flow-word-count';
import { fmt } from './harness/format';
import { recordCount } from './harness/in-memory-load';
import { RUNNER_LABELS, runnerFactory, type RunnerId } from './harness/pricing-topology';
import { throughputTable } from './harness/throughput-table';
import {
  alternate,
  type Contender,
  summarize,
  type Trial,
  type TrialResult,
} from './harness/trial';
import { inputsDone, type OutputsReached, untilOutputs } from './harness/until-outputs';
import { ratioVerdict } from './harness/verdict';
import { makeAmounts, makeWords, type WordData } from './harness/words';

const PARTITIONS = 8;
const VOCABULARY = 2000;

/** The stores of a contender: in memory, or LMDB under a fresh directory of its own. */
type StoreKind = 'memory' | 'lmdb';

const supplierOf = (kind: StoreKind): KeyValueBytesStoreSupplier =>
  kind === 'memory'
    ? Stores.inMemory()
    : Stores.lmdb({ stateDir: mkdtempSync(join(tmpdir(), 'rxk-bench-lmdb-')) });

/** The word count (or per-key sum) in rx-kstreams' DSL: group by key, aggregate into a store, updates out. */
const statefulTopology = (
  input: string,
  output: string,
  workload: Workload,
  kind: StoreKind = 'memory',
): RunnableTopology => {
  const builder = new StreamsBuilder();
  const out = { key: Serdes.string(), value: Serdes.json<number>() };
  if (workload === 'count') {
    builder
      .stream(input, { key: Serdes.string(), value: Serdes.string() })
      .groupByKey({ key: Serdes.string() })
      .count({ store: 'counts', supplier: supplierOf(kind) })
      .toStream()
      .to(output, out);
  } else {
    builder
      .stream(input, { key: Serdes.string(), value: Serdes.json<number>() })
      .groupByKey({ key: Serdes.string() })
      .reduce((total, amount) => (total ?? 0) + (amount ?? 0), {
        store: 'sums',
        value: Serdes.json<number>(),
        supplier: supplierOf(kind),
      })
      .toStream()
      .to(output, out);
  }
  return builder.build();
};

/** A contender's id: the word count's as before, `-lmdb` and `-sum` added for the others. */
const idOf = (base: string, workload: Workload, kind: StoreKind): string =>
  `${base}${workload === 'sum' ? '-sum' : ''}${kind === 'lmdb' ? '-lmdb' : ''}`;

const WHAT: Record<Workload, string> = {
  count: 'count()',
  sum: 'reduce() sum',
};

const result = (reached: OutputsReached, data: WordData): TrialResult => ({
  records: inputsDone(reached, data.count, data.kept),
  extra: { capped: reached.capped ? 'yes' : 'no' },
});

const runnerContender = (
  broker: BenchBroker,
  ctx: BenchContext,
  input: string,
  data: WordData,
  runner: RunnerId,
  client: BenchClient,
  workload: Workload,
  kind: StoreKind = 'memory',
): Contender => ({
  id: idOf(`${runner}-${client}`, workload, kind),
  label: `rx-kstreams ${RUNNER_LABELS[runner].replace('rx-kstreams ', '')} on ${client}Client, ${WHAT[workload]} ${kind === 'memory' ? 'in memory' : 'in LMDB'}`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-counts');
    const groupId = uniqueName(`bench-wc-${runner}`);
    await broker.createTopics([output], PARTITIONS);
    return {
      run: async (stopClock) => {
        const running = startBrokerApp({
          brokers: ctx.brokers,
          groupId,
          topology: statefulTopology(input, output, workload, kind),
          runner,
          client,
        });
        const reached = await untilOutputs(
          () => broker.count(output),
          data.kept,
          ctx.runCapMs,
          100,
          running.failed,
        );
        stopClock();
        await running.stop();
        return result(reached, data);
      },
    };
  },
});

const flowContender = (
  broker: BenchBroker,
  ctx: BenchContext,
  input: string,
  data: WordData,
  workload: Workload,
  kind: StoreKind = 'memory',
): Contender => ({
  id: idOf('flow', workload, kind),
  label: `@kafkats/flow 0.12 groupByKey().${workload === 'count' ? 'count()' : 'reduce() sum'}, ${kind === 'memory' ? 'in memory' : 'in LMDB'}`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-counts');
    const applicationId = uniqueName('bench-wc-flow');
    await broker.createTopics([output], PARTITIONS);
    return {
      run: async (stopClock) => {
        const app = await startFlowWordCount({
          brokers: ctx.brokers,
          applicationId,
          input,
          output,
          workload,
          stateDir: kind === 'lmdb' ? mkdtempSync(join(tmpdir(), 'flow-bench-lmdb-')) : undefined,
        });
        const reached = await untilOutputs(
          () => broker.count(output),
          data.kept,
          ctx.runCapMs,
          100,
        );
        stopClock();
        await app.stop();
        return result(reached, data);
      },
    };
  },
});

/** The same work on the in-memory Kafka: what the runners do without a broker. */
const inMemoryContender = (
  data: WordData,
  runner: RunnerId,
  capMs: number,
  workload: Workload,
): Contender => ({
  id: idOf(`${runner}-memory`, workload, 'memory'),
  label: `rx-kstreams ${RUNNER_LABELS[runner].replace('rx-kstreams ', '')} on InMemoryKafka, ${WHAT[workload]} in memory`,
  prepare: async (): Promise<Trial> => {
    const kafka = new InMemoryKafka({ autoCreateTopics: false });
    kafka.createTopic('words', { partitions: PARTITIONS });
    kafka.createTopic('counts', { partitions: PARTITIONS });
    kafka.produce(
      'words',
      data.keys.map((key, i) => ({ key, value: data.values[i] ?? key })),
    );
    const app = new Application(
      kafka.client({ groupId: 'wc' }),
      statefulTopology('words', 'counts', workload),
    );
    return {
      run: async (stopClock) => {
        const running = app.runWith(undefined, runnerFactory(runner));
        const reached = await untilOutputs(() => recordCount(kafka, 'counts'), data.kept, capMs, 5);
        stopClock();
        app.close();
        await running;
        return result(reached, data);
      },
    };
  },
});

/** How long a restart takes to restore `records` changelog records, per client. */
const restoreContender = (
  broker: BenchBroker,
  ctx: BenchContext,
  input: string,
  changelogOf: (groupId: string) => Promise<void>,
  records: number,
  client: BenchClient,
  kind: StoreKind = 'memory',
): Contender => ({
  id: kind === 'memory' ? `restore-${client}` : `restore-${client}-${kind}`,
  label: `restore of ${fmt.int(records)} changelog records into ${kind === 'memory' ? 'in-memory' : 'LMDB'} stores, ${client}Client`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-counts');
    const groupId = uniqueName(`bench-restore-${client}`);
    await broker.createTopics([output], PARTITIONS);
    await changelogOf(groupId);
    return {
      run: async (stopClock) => {
        const running = startBrokerApp({
          brokers: ctx.brokers,
          groupId,
          topology: statefulTopology(input, output, 'count', kind),
          runner: 'partitioned',
          client,
        });
        const deadline = Date.now() + ctx.runCapMs;
        let restored: number;
        for (;;) {
          const partitions = running.app.stats()?.partitions ?? [];
          restored = partitions.reduce((n, p) => n + (p.restore?.records ?? 0), 0);
          const done = partitions.length === PARTITIONS && partitions.every((p) => p.restore?.done);
          if (done || Date.now() > deadline || running.failed() !== undefined) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        stopClock();
        await running.stop();
        return { records: restored, extra: { capped: restored < records ? 'yes' : 'no' } };
      },
    };
  },
});

/** Benchmark 9: a stateful word count and per-key sum, rx-kstreams against @kafkats/flow, and restore time. */
export const wordCount: Benchmark = {
  id: 'word-count',
  title:
    '9. State: word count and per-key sum with changelogged stores (in memory, LMDB), and restore',
  needsBroker: true,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(500_000, 2000);
    const data = makeWords(count, VOCABULARY);
    const amounts = makeAmounts(count, VOCABULARY);
    const broker = await BenchBroker.connect(ctx.brokers);
    try {
      const input = uniqueName('bench-words');
      const amountsInput = uniqueName('bench-amounts');
      await broker.createTopics([input, amountsInput], PARTITIONS);
      const t0 = performance.now();
      await broker.produceOrders(input, data);
      await broker.produceOrders(amountsInput, amounts);
      ctx.log(
        `  produced ${fmt.int(count)} words to ${input} and ${fmt.int(count)} amounts to ${amountsInput} in ${fmt.s(performance.now() - t0)}`,
      );
      // A changelog as a word count leaves it: one record per input, keyed by the word.
      const restoreRecords = ctx.scaled(1_000_000, 2000);
      const words = makeWords(restoreRecords, VOCABULARY);
      // Its values are counts (JSON numbers), as the store's serde reads them.
      const restoreData = { ...words, values: words.keys.map((_, i) => String(i + 1)) };
      const changelogOf = async (groupId: string): Promise<void> => {
        const changelog = `${groupId}-counts-changelog`;
        await broker.createTopics([changelog], PARTITIONS, { 'cleanup.policy': 'compact' });
        await broker.produceOrders(changelog, restoreData);
      };
      const on = (workload: Workload) =>
        workload === 'count' ? { input, data } : { input: amountsInput, data: amounts };
      const broad = (workload: Workload): Contender[] => {
        const w = on(workload);
        return [
          flowContender(broker, ctx, w.input, w.data, workload),
          flowContender(broker, ctx, w.input, w.data, workload, 'lmdb'),
          runnerContender(broker, ctx, w.input, w.data, 'single', 'kafkats', workload),
          runnerContender(broker, ctx, w.input, w.data, 'partitioned', 'kafkats', workload),
          runnerContender(broker, ctx, w.input, w.data, 'single', 'kafkajs', workload),
          runnerContender(broker, ctx, w.input, w.data, 'partitioned', 'kafkajs', workload),
          runnerContender(broker, ctx, w.input, w.data, 'partitioned', 'kafkats', workload, 'lmdb'),
          inMemoryContender(w.data, 'single', ctx.runCapMs, workload),
          inMemoryContender(w.data, 'partitioned', ctx.runCapMs, workload),
        ];
      };
      const contenders = ctx.select([
        ...broad('count'),
        ...broad('sum'),
        restoreContender(broker, ctx, input, changelogOf, restoreRecords, 'kafkats'),
        restoreContender(broker, ctx, input, changelogOf, restoreRecords, 'kafkajs'),
        restoreContender(broker, ctx, input, changelogOf, restoreRecords, 'kafkats', 'lmdb'),
      ]);
      const rounds = ctx.rounds(2);
      const measurements = await alternate(contenders, rounds, ctx.log);
      const summaries = summarize(measurements);
      const restores = summaries.filter((s) => s.id.startsWith('restore'));
      // One table per workload and store kind, each against @kafkats/flow of that kind.
      const groups = (['count', 'sum'] as const).flatMap((workload) =>
        (['memory', 'lmdb'] as const).map((kind) => {
          const of = (s: { id: string }) =>
            !s.id.startsWith('restore') &&
            s.id.includes('-sum') === (workload === 'sum') &&
            s.id.endsWith('-lmdb') === (kind === 'lmdb');
          const members = summaries.filter(of);
          return { workload, kind, members, flow: members.find((s) => s.id.startsWith('flow')) };
        }),
      );
      return {
        id: wordCount.id,
        title: wordCount.title,
        setup: `${fmt.int(count)} words of ${fmt.int(VOCABULARY)} on ${PARTITIONS} partitions (and as many amounts, 1 to 9 per record, for the per-key sum); every record makes one update and one changelog write; every contender has its own group, output and changelog, and reads the same input; restore: ${fmt.int(restoreRecords)} changelog records over ${PARTITIONS} partitions; ${rounds} rounds each, the order rotating`,
        tables: [
          ...groups
            .filter((g) => g.members.length > 0)
            .map((g) => throughputTable(g.members, g.flow)),
          ...(restores.length === 0 ? [] : [throughputTable(restores, undefined)]),
        ],
        verdicts: groups.flatMap((g) =>
          g.flow === undefined
            ? []
            : g.members
                .filter((s) => s.id.includes('-kafkats'))
                .map((s) =>
                  ratioVerdict(
                    `${s.label} / @kafkats/flow ${g.kind === 'memory' ? 'in memory' : 'in LMDB'} (${g.workload === 'count' ? 'word count' : 'per-key sum'}, broker)`,
                    s.medianRate,
                    g.flow!.medianRate,
                    1.5,
                  ),
                ),
        ),
        notes: [
          'The clock runs from connecting (group join and changelog creation included) until the broker holds one update per input record. Both libraries write each update to the store’s changelog; @kafkats/flow and rx-kstreams on kafkatsClient use the same client library. LMDB: rx-kstreams Stores.lmdb and @kafkats/flow-state-lmdb 0.12, each under a fresh directory.',
          'Restore: the clock runs from starting the application on a group whose changelog holds the records until every partition’s stores report their restore done (app.stats()); records/s is changelog records applied per second.',
        ],
      };
    } finally {
      await broker.close();
    }
  },
};
