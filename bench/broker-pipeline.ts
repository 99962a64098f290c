import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { BenchBroker, uniqueName } from './harness/broker';
import { type BenchClient, startBrokerApp } from './harness/broker-runner';
import { startKafkatsPipeline } from './harness/kafkats-pipeline';
import { fmt } from './harness/format';
import { startKafkajsPipeline } from './harness/kafkajs-pipeline';
import { type PortLoopCycle, startPortLoop } from './harness/broker-port-loop';
import { makeOrders, type OrderData } from './harness/orders';
import { pricingTopology, RUNNER_LABELS, type RunnerId } from './harness/pricing-topology';
import { waitFor } from './harness/sleep';
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

const PARTITIONS = 8;

/** Checks after the run that the group committed every input record. */
const committedAll = async (
  broker: BenchBroker,
  groupId: string,
  input: string,
): Promise<string> => {
  const lag = await broker.lag(groupId, input);
  return lag === 0 ? 'all' : `${fmt.int(lag)} uncommitted`;
};

/** What a broker run reports: input records done (estimated when capped), commits, cap. */
const finished = async (
  reached: OutputsReached,
  data: OrderData,
  broker: BenchBroker,
  groupId: string,
  input: string,
): Promise<TrialResult> => ({
  records: inputsDone(reached, data.count, data.kept),
  extra: {
    committed: reached.capped
      ? 'not checked (stopped at the time cap)'
      : await committedAll(broker, groupId, input),
    capped: reached.capped ? 'yes' : 'no',
  },
});

const handContender = (
  broker: BenchBroker,
  ctx: BenchContext,
  input: string,
  data: OrderData,
  concurrency: number,
): Contender => ({
  id: concurrency === 1 ? 'hand' : `hand-${concurrency}`,
  label:
    concurrency === 1
      ? 'hand-written kafkajs eachBatch'
      : `hand-written kafkajs eachBatch, ${concurrency} partitions concurrently`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-priced');
    const groupId = uniqueName('bench-hand');
    await broker.createTopics([output], PARTITIONS);
    return {
      run: async (stopClock) => {
        const pipeline = await startKafkajsPipeline({
          brokers: ctx.brokers,
          groupId,
          input,
          output,
          concurrency,
        });
        const reached = await untilOutputs(
          () => broker.count(output),
          data.kept,
          ctx.runCapMs,
          100,
        );
        stopClock();
        if (!reached.capped) {
          await waitFor(
            async () => (await broker.lag(groupId, input)) === 0,
            'commits',
            30_000,
            100,
          );
        }
        await pipeline.stop();
        return finished(reached, data, broker, groupId, input);
      },
    };
  },
});

/** The same work hand-written on @kafkats/client (runBatch, its own commits). */
const kafkatsHandContender = (
  broker: BenchBroker,
  ctx: BenchContext,
  input: string,
  data: OrderData,
): Contender => ({
  id: 'hand-kafkats',
  label: `hand-written @kafkats/client runBatch, ${PARTITIONS} partitions concurrently`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-priced');
    const groupId = uniqueName('bench-hand-kafkats');
    await broker.createTopics([output], PARTITIONS);
    return {
      run: async (stopClock) => {
        const pipeline = await startKafkatsPipeline({
          brokers: ctx.brokers,
          groupId,
          input,
          output,
          concurrency: PARTITIONS,
        });
        const reached = await untilOutputs(
          () => broker.count(output),
          data.kept,
          ctx.runCapMs,
          100,
          pipeline.failed,
        );
        stopClock();
        // Its last offsets are committed when it stops.
        await pipeline.stop();
        return finished(reached, data, broker, groupId, input);
      },
    };
  },
});

const describeCycle = (c: PortLoopCycle): string => {
  const per = (ms: number): string => `${(ms / Math.max(1, c.polls)).toFixed(1)} ms`;
  return `${fmt.int(c.polls)} polls; per poll: poll ${per(c.pollMs)}, process ${per(c.processMs)}, acknowledgements ${per(c.ackMs)}, commit ${per(c.commitMs)}`;
};

/** The runners' cycle by hand over a client port: what the adapter allows. */
const portContender = (
  broker: BenchBroker,
  ctx: BenchContext,
  input: string,
  data: OrderData,
  client: BenchClient,
): Contender => ({
  id: client === 'kafkajs' ? 'port' : 'port-kafkats',
  label: `hand-written loop over ${client}Client`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-priced');
    const groupId = uniqueName('bench-port');
    await broker.createTopics([output], PARTITIONS);
    return {
      run: async (stopClock) => {
        const loop = startPortLoop({ brokers: ctx.brokers, groupId, input, output, client });
        let failure: unknown;
        loop.done.catch((error: unknown) => (failure = error ?? new Error('port loop failed')));
        const reached = await untilOutputs(
          () => broker.count(output),
          data.kept,
          ctx.runCapMs,
          100,
          () => failure,
        );
        stopClock();
        const cycle = loop.cycle();
        await loop.stop();
        const result = await finished(reached, data, broker, groupId, input);
        return { ...result, extra: { ...result.extra, cycle: describeCycle(cycle) } };
      },
    };
  },
});

const runnerContender = (
  broker: BenchBroker,
  ctx: BenchContext,
  input: string,
  data: OrderData,
  runner: RunnerId,
  client: BenchClient,
): Contender => ({
  id: client === 'kafkajs' ? runner : `${runner}-kafkats`,
  label: client === 'kafkajs' ? RUNNER_LABELS[runner] : `${RUNNER_LABELS[runner]} on kafkatsClient`,
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-priced');
    const groupId = uniqueName(`bench-${runner}`);
    await broker.createTopics([output], PARTITIONS);
    return {
      run: async (stopClock) => {
        const running = startBrokerApp({
          brokers: ctx.brokers,
          groupId,
          topology: pricingTopology(input, output),
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
        return finished(reached, data, broker, groupId, input);
      },
    };
  },
});

/** Benchmark 2: consume → transform → produce on a real broker, at-least-once. */
export const brokerPipeline: Benchmark = {
  id: 'broker',
  title: '2. Real broker: consume → transform → produce, at-least-once commits',
  needsBroker: true,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(1_000_000, 1000);
    const data = makeOrders(count);
    const broker = await BenchBroker.connect(ctx.brokers);
    try {
      const input = uniqueName('bench-orders');
      await broker.createTopics([input], PARTITIONS);
      const t0 = performance.now();
      await broker.produceOrders(input, data);
      const produceMs = performance.now() - t0;
      const stored = await broker.count(input);
      ctx.log(
        `  produced ${fmt.int(stored)} records to ${input} in ${fmt.s(produceMs)} (${fmt.rate((stored * 1000) / produceMs)})`,
      );
      const contenders = ctx.select([
        handContender(broker, ctx, input, data, 1),
        handContender(broker, ctx, input, data, PARTITIONS),
        portContender(broker, ctx, input, data, 'kafkajs'),
        portContender(broker, ctx, input, data, 'kafkats'),
        kafkatsHandContender(broker, ctx, input, data),
        runnerContender(broker, ctx, input, data, 'single', 'kafkajs'),
        runnerContender(broker, ctx, input, data, 'partitioned', 'kafkajs'),
        runnerContender(broker, ctx, input, data, 'single', 'kafkats'),
        runnerContender(broker, ctx, input, data, 'partitioned', 'kafkats'),
      ]);
      // Two rounds by default: a broker run shares the two cores with the broker itself, and
      // single runs of the same contender differ by up to ~15 %.
      const rounds = ctx.rounds(2);
      const measurements = await alternate(contenders, rounds, ctx.log);
      const summaries = summarize(measurements);
      // The kafkajs users' baseline: the faster of the two hand-written kafkajs pipelines.
      const hands = summaries.filter((s) => s.id.startsWith('hand') && s.id !== 'hand-kafkats');
      const handKafkats = summaries.find((s) => s.id === 'hand-kafkats');
      const best = hands.reduce<(typeof hands)[number] | undefined>(
        (a, b) => (a === undefined || b.medianRate > a.medianRate ? b : a),
        undefined,
      );
      const table = throughputTable(summaries, best);
      const committed = measurements.map((m) => `${m.label}: ${String(m.extra['committed'])}`);
      const cycles = measurements
        .filter((m) => m.extra['cycle'] !== undefined)
        .map((m) => String(m.extra['cycle']));
      return {
        id: brokerPipeline.id,
        title: brokerPipeline.title,
        setup: `${fmt.int(stored)} records (mean ${data.meanBytes.toFixed(0)} bytes) on ${PARTITIONS} partitions, produced in ${fmt.s(produceMs)}; ${fmt.int(data.kept)} outputs with acks -1; every contender has its own group and output topic and reads the same input; runners through kafkajsClient with library defaults; ${rounds === 1 ? 'one round each' : `${rounds} rounds each, the order rotating each round`}, capped at ${ctx.runCapMs / 1000} s (a capped run’s rate is over the input it finished, estimated from its outputs)`,
        tables: [table],
        verdicts: [
          ...summaries
            .filter(
              (s) => !s.id.startsWith('hand') && !s.id.startsWith('port') && best !== undefined,
            )
            .map((s) =>
              ratioVerdict(
                `${s.label} / best hand-written kafkajs (broker)`,
                s.medianRate,
                best!.medianRate,
                s.id.endsWith('-kafkats') ? 1.3 : 0.95,
              ),
            ),
          ...summaries
            .filter(
              (s) =>
                s.id.endsWith('-kafkats') &&
                !s.id.startsWith('port') &&
                !s.id.startsWith('hand') &&
                handKafkats !== undefined,
            )
            .map((s) =>
              ratioVerdict(
                `${s.label} / hand-written @kafkats/client (broker)`,
                s.medianRate,
                handKafkats!.medianRate,
                0.9,
              ),
            ),
        ],
        notes: [
          `The clock runs from connecting (group join included, for every contender) until the broker holds every output; then the contender stops and the group's commits are checked — committed: ${committed.join('; ')}.`,
          `The hand-written loop over kafkajsClient is the runners’ cycle without a topology — poll 500, deserialize, filter, map, serialize, send each output, await the acknowledgements, commit every 5 s — so it shows what the adapter allows a runner; it has no target.${cycles.length === 0 ? '' : ` Its cycle: ${cycles.join('; ')}.`}`,
          'The hand-written @kafkats/client pipeline is what its users write: runBatch with 8 partitions at once, one send per batch, the client committing a batch after its handler returns (every 5 s and on stop). Targets for the runners on kafkatsClient: at least 1.3x the best hand-written kafkajs pipeline and 0.9x the hand-written @kafkats/client one.',
          'The hand-written pipeline is what kafkajs users write: eachBatch with autoCommit off, one sendBatch per batch, resolveOffset and commitOffsets once it is acknowledged. It runs with kafkajs’s default partitionsConsumedConcurrently (1) and with one per partition; ratios are to the faster of the two.',
        ],
      };
    } finally {
      await broker.close();
    }
  },
};
