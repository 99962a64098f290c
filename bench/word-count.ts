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
import { startFlowWordCount } from './harness/flow-word-count';
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
import { makeWords, type WordData } from './harness/words';

const PARTITIONS = 8;
const VOCABULARY = 2000;

/** The stores of a contender: in memory, or LMDB under a fresh directory of its own. */
type StoreKind = 'memory' | 'lmdb';

const supplierOf = (kind: StoreKind): KeyValueBytesStoreSupplier =>
  kind === 'memory'
    ? Stores.inMemory()
    : Stores.lmdb({ stateDir: mkdtempSync(join(tmpdir(), 'rxk-bench-lmdb-')) });

/** The word count in rx-kstreams' DSL: group by key, count into a store, updates out. */
const wordCountTopology = (
  input: string,
  output: string,
  kind: StoreKind = 'memory',
): RunnableTopology => {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { key: Serdes.string(), value: Serdes.string() })
    .groupByKey({ key: Serdes.string() })
    .count({ store: 'counts', supplier: supplierOf(kind) })
    .toStream()
    .to(output, { key: Serdes.string(), value: Serdes.json<number>() });
  return builder.build();
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
  kind: StoreKind = 'memory',
): Contender => ({
  id: kind === 'memory' ? `${runner}-${client}` : `${runner}-${client}-${kind}`,
  label: `rx-kstreams ${RUNNER_LABELS[runner].replace('rx-kstreams ', '')} on ${client}Client, count() ${kind === 'memory' ? 'in memory' : 'in LMDB'}`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-counts');
    const groupId = uniqueName(`bench-wc-${runner}`);
    await broker.createTopics([output], PARTITIONS);
    return {
      run: async (stopClock) => {
        const running = startBrokerApp({
          brokers: ctx.brokers,
          groupId,
          topology: wordCountTopology(input, output, kind),
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
): Contender => ({
  id: 'flow',
  label: '@kafkats/flow 0.12 groupByKey().count(), in memory',
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

/** The same word count on the in-memory Kafka: what the runners do without a broker. */
const inMemoryContender = (data: WordData, runner: RunnerId, capMs: number): Contender => ({
  id: `${runner}-memory`,
  label: `rx-kstreams ${RUNNER_LABELS[runner].replace('rx-kstreams ', '')} on InMemoryKafka, count() in memory`,
  prepare: async (): Promise<Trial> => {
    const kafka = new InMemoryKafka({ autoCreateTopics: false });
    kafka.createTopic('words', { partitions: PARTITIONS });
    kafka.createTopic('counts', { partitions: PARTITIONS });
    kafka.produce(
      'words',
      data.keys.map((key) => ({ key, value: key })),
    );
    const app = new Application(
      kafka.client({ groupId: 'wc' }),
      wordCountTopology('words', 'counts'),
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
          topology: wordCountTopology(input, output, kind),
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

/** Benchmark 9: a stateful word count, rx-kstreams against @kafkats/flow, and restore time. */
export const wordCount: Benchmark = {
  id: 'word-count',
  title: '9. State: word count with changelogged stores (in memory, LMDB), and restore',
  needsBroker: true,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(500_000, 2000);
    const data = makeWords(count, VOCABULARY);
    const broker = await BenchBroker.connect(ctx.brokers);
    try {
      const input = uniqueName('bench-words');
      await broker.createTopics([input], PARTITIONS);
      const t0 = performance.now();
      await broker.produceOrders(input, data);
      ctx.log(`  produced ${fmt.int(count)} words to ${input} in ${fmt.s(performance.now() - t0)}`);
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
      const contenders = ctx.select([
        flowContender(broker, ctx, input, data),
        runnerContender(broker, ctx, input, data, 'single', 'kafkats'),
        runnerContender(broker, ctx, input, data, 'partitioned', 'kafkats'),
        runnerContender(broker, ctx, input, data, 'single', 'kafkajs'),
        runnerContender(broker, ctx, input, data, 'partitioned', 'kafkajs'),
        runnerContender(broker, ctx, input, data, 'partitioned', 'kafkats', 'lmdb'),
        inMemoryContender(data, 'single', ctx.runCapMs),
        inMemoryContender(data, 'partitioned', ctx.runCapMs),
        restoreContender(broker, ctx, input, changelogOf, restoreRecords, 'kafkats'),
        restoreContender(broker, ctx, input, changelogOf, restoreRecords, 'kafkajs'),
        restoreContender(broker, ctx, input, changelogOf, restoreRecords, 'kafkats', 'lmdb'),
      ]);
      const rounds = ctx.rounds(2);
      const measurements = await alternate(contenders, rounds, ctx.log);
      const summaries = summarize(measurements);
      const flowSummary = summaries.find((s) => s.id === 'flow');
      const counting = summaries.filter((s) => !s.id.startsWith('restore'));
      const restores = summaries.filter((s) => s.id.startsWith('restore'));
      return {
        id: wordCount.id,
        title: wordCount.title,
        setup: `${fmt.int(count)} words of ${fmt.int(VOCABULARY)} on ${PARTITIONS} partitions; every record makes one count update and one changelog write; every contender has its own group, output and changelog, and reads the same input; restore: ${fmt.int(restoreRecords)} changelog records over ${PARTITIONS} partitions; ${rounds} rounds each, the order rotating`,
        tables: [
          throughputTable(counting, flowSummary),
          ...(restores.length === 0 ? [] : [throughputTable(restores, undefined)]),
        ],
        verdicts: counting
          .filter((s) => s.id.endsWith('-kafkats') && flowSummary !== undefined)
          .map((s) =>
            ratioVerdict(
              `${s.label} / @kafkats/flow (word count, broker)`,
              s.medianRate,
              flowSummary!.medianRate,
              1.5,
            ),
          ),
        notes: [
          'The clock runs from connecting (group join and changelog creation included) until the broker holds one count update per input record. Both libraries write each update to the store’s changelog; @kafkats/flow and rx-kstreams on kafkatsClient use the same client library.',
          'Restore: the clock runs from starting the application on a group whose changelog holds the records until every partition’s stores report their restore done (app.stats()); records/s is changelog records applied per second.',
        ],
      };
    } finally {
      await broker.close();
    }
  },
};
