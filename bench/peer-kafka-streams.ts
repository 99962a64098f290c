import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Benchmark, BenchReport } from './harness/bench-report';
import { skipped } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { BenchBroker, uniqueName } from './harness/broker';
import { startBrokerApp } from './harness/broker-runner';
import { fmt } from './harness/format';
import { startKafkajsPipeline } from './harness/kafkajs-pipeline';
import { keep, makeOrders, type Order, price } from './harness/orders';
import { pricingTopology, RUNNER_LABELS } from './harness/pricing-topology';
import { waitFor } from './harness/sleep';
import { inputsDone, untilOutputs } from './harness/until-outputs';
import { throughputTable } from './harness/throughput-table';
import { alternate, type Contender, summarize, type Trial } from './harness/trial';
import { ratioVerdict } from './harness/verdict';

const PARTITIONS = 8;

/** The part of kafka-streams 5 (untyped JavaScript) this benchmark uses. */
interface KsMessage {
  readonly key: Buffer | null;
  readonly value: Order | null;
}
interface KsStream {
  mapJSONConvenience(): KsStream;
  filter(predicate: (message: KsMessage) => boolean): KsStream;
  map(fn: (message: KsMessage) => unknown): KsStream;
  to(topic: string, partitions: number, produceType: string): Promise<boolean>;
  start(): Promise<void>;
}
interface KsFactory {
  getKStream(topic: string): KsStream;
  on(event: 'error', listener: (error: unknown) => void): void;
  closeAll(): Promise<unknown>;
}
interface KsModule {
  readonly KafkaStreams: new (config: object) => KsFactory;
}

/**
 * kafka-streams from this project, or from `$KAFKA_STREAMS_DIR` (a folder whose
 * node_modules holds it): it is not a dependency of rx-kstreams.
 */
const loadKafkaStreams = (): { module: KsModule; version: string } | { problem: string } => {
  const places = [
    join(process.cwd(), 'package.json'),
    ...(process.env['KAFKA_STREAMS_DIR'] === undefined
      ? []
      : [join(process.env['KAFKA_STREAMS_DIR'], 'package.json')]),
  ];
  for (const place of places) {
    const require = createRequire(place);
    try {
      const path = require.resolve('kafka-streams');
      const version = (require('kafka-streams/package.json') as { version: string }).version;
      // sinek warns that its kafka-node clients are deprecated, once per client.
      (process as { noDeprecation?: boolean }).noDeprecation = true;
      return { module: require(path) as KsModule, version };
    } catch {
      // not installed there
    }
  }
  return {
    problem:
      'kafka-streams is not installed (it is not a dependency of rx-kstreams). To include it, install it outside the project — `mkdir /tmp/ks && cd /tmp/ks && npm init -y && npm i kafka-streams@5.0.0` — and run with KAFKA_STREAMS_DIR=/tmp/ks',
  };
};

const kafkaStreamsContender = (
  ks: KsModule,
  broker: BenchBroker,
  brokers: readonly string[],
  input: string,
  count: number,
  kept: number,
  capMs: number,
): Contender => ({
  id: 'kafka-streams',
  label: 'kafka-streams 5 (sinek / kafka-node)',
  prepare: async (): Promise<Trial> => {
    const output = uniqueName('bench-ks-out');
    const id = uniqueName('bench-ks');
    await broker.createTopics([output], PARTITIONS);
    const factory = new ks.KafkaStreams({
      kafkaHost: brokers.join(','),
      groupId: id,
      clientName: id,
      workerPerPartition: 1,
      options: {
        sessionTimeout: 8000,
        protocol: ['roundrobin'],
        fromOffset: 'earliest',
        fetchMaxBytes: 1024 * 1024,
        fetchMinBytes: 1,
        fetchMaxWaitMs: 500,
        heartbeatInterval: 250,
        retryMinTimeout: 250,
        autoCommit: true,
        autoCommitIntervalMs: 1000,
        requireAcks: 1,
        ackTimeoutMs: 100,
        partitionerType: 3,
      },
    });
    let failure: unknown;
    factory.on('error', (error) => (failure ??= error));
    return {
      run: async (stopClock) => {
        const stream = factory.getKStream(input);
        void stream
          .mapJSONConvenience()
          .filter((m) => keep(m.value))
          // kafka-streams' producer wants a string key and serializes the value itself.
          .map((m) => ({ key: m.key?.toString('utf8') ?? null, value: price(m.value!) }))
          .to(output, PARTITIONS, 'buffer');
        await stream.start();
        const reached = await untilOutputs(
          () => broker.count(output),
          kept,
          capMs,
          200,
          () => failure,
        );
        stopClock();
        await factory.closeAll();
        return {
          records: inputsDone(reached, count, kept),
          extra: { capped: reached.capped ? 'yes' : 'no' },
        };
      },
    };
  },
});

/** Benchmark 6: the kafka-streams npm package on benchmark 2's work. */
export const peerKafkaStreams: Benchmark = {
  id: 'peer',
  title: '6. Peer: the kafka-streams npm package on benchmark 2’s work',
  needsBroker: true,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const loaded = loadKafkaStreams();
    if ('problem' in loaded) return skipped(peerKafkaStreams, loaded.problem);
    const count = ctx.scaled(100_000, 2000);
    const data = makeOrders(count);
    const broker = await BenchBroker.connect(ctx.brokers);
    try {
      const input = uniqueName('bench-peer-in');
      await broker.createTopics([input], PARTITIONS);
      await broker.produceOrders(input, data);
      const hand: Contender = {
        id: 'hand',
        label: 'hand-written kafkajs eachBatch',
        prepare: async (): Promise<Trial> => {
          const output = uniqueName('bench-peer-hand');
          await broker.createTopics([output], PARTITIONS);
          return {
            run: async (stopClock) => {
              const pipeline = await startKafkajsPipeline({
                brokers: ctx.brokers,
                groupId: uniqueName('bench-peer-hand'),
                input,
                output,
              });
              await waitFor(
                async () => (await broker.count(output)) >= data.kept,
                'hand outputs',
                600_000,
                100,
              );
              stopClock();
              await pipeline.stop();
              return { records: count };
            },
          };
        },
      };
      const partitioned: Contender = {
        id: 'partitioned',
        label: RUNNER_LABELS.partitioned,
        prepare: async (): Promise<Trial> => {
          const output = uniqueName('bench-peer-rx');
          await broker.createTopics([output], PARTITIONS);
          return {
            run: async (stopClock) => {
              const app = startBrokerApp({
                brokers: ctx.brokers,
                groupId: uniqueName('bench-peer-rx'),
                topology: pricingTopology(input, output),
                runner: 'partitioned',
              });
              await waitFor(
                async () => {
                  if (app.failed() !== undefined) throw app.failed();
                  return (await broker.count(output)) >= data.kept;
                },
                'partitioned outputs',
                600_000,
                100,
              );
              stopClock();
              await app.stop();
              return { records: count };
            },
          };
        },
      };
      const contenders = ctx.select([
        hand,
        partitioned,
        kafkaStreamsContender(
          loaded.module,
          broker,
          ctx.brokers,
          input,
          count,
          data.kept,
          ctx.runCapMs,
        ),
      ]);
      const summaries = summarize(await alternate(contenders, 1, ctx.log));
      const handSummary = summaries.find((s) => s.id === 'hand');
      const ks = summaries.find((s) => s.id === 'kafka-streams');
      const rx = summaries.find((s) => s.id === 'partitioned');
      return {
        id: peerKafkaStreams.id,
        title: peerKafkaStreams.title,
        setup: `kafka-streams ${loaded.version}; ${fmt.int(count)} records on ${PARTITIONS} partitions (fewer than benchmark 2: kafka-streams writes one produce request per record), the same filter and map, one round each`,
        tables: [throughputTable(summaries, handSummary)],
        verdicts:
          ks !== undefined && rx !== undefined
            ? [
                ratioVerdict(
                  'partitionedRunner / kafka-streams (broker)',
                  rx.medianRate,
                  ks.medianRate,
                ),
              ]
            : [],
        notes: [
          'kafka-streams 5.0.0 (2020) runs on sinek 9’s kafka-node client: offsets are auto-committed every second whether or not the outputs were written (not at-least-once), each output is its own produce request with acks 1, and keys are partitioned with murmur3, not Kafka’s murmur2. It does less work per record than the contenders it is compared with and is still the slowest.',
        ],
      };
    } finally {
      await broker.close();
    }
  },
};
