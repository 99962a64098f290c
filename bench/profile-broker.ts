// One contender of the broker benchmark on its own, profiled while it consumes (not while the
// input is produced), for bench/profile-top.ts. Needs a broker (`npm run kafka:start`):
//
//   npx tsx bench/profile-broker.ts single 200000 /tmp/broker-single.cpuprofile
//   npx tsx bench/profile-broker.ts port 200000 /tmp/broker-port.cpuprofile
//   npx tsx bench/profile-broker.ts hand 200000 none   # no profile: wall and CPU time only
//   npx tsx bench/profile-top.ts /tmp/broker-single.cpuprofile 40
//
// PROFILE_CLIENT=kafkats runs the runners and the port loop on kafkatsClient; the contender
// `hand-kafkats` is the hand-written @kafkats/client pipeline.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { BenchBroker, uniqueName } from './harness/broker';
import { type BenchClient, startBrokerApp } from './harness/broker-runner';
import { startPortLoop } from './harness/broker-port-loop';
import { startKafkajsPipeline } from './harness/kafkajs-pipeline';
import { startKafkatsPipeline } from './harness/kafkats-pipeline';
import { makeOrders } from './harness/orders';
import { pricingTopology, type RunnerId } from './harness/pricing-topology';
import { untilOutputs } from './harness/until-outputs';

const PARTITIONS = 8;

const main = async (): Promise<void> => {
  const contender = process.argv[2] ?? 'single';
  const client: BenchClient = process.env['PROFILE_CLIENT'] === 'kafkats' ? 'kafkats' : 'kafkajs';
  if (!['hand', 'hand-kafkats', 'port', 'single', 'partitioned'].includes(contender)) {
    throw new Error(
      `unknown contender ${contender}: hand, hand-kafkats, port, single or partitioned`,
    );
  }
  const count = Number(process.argv[3] ?? 200_000);
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const data = makeOrders(count);
  const broker = await BenchBroker.connect(brokers);
  const input = uniqueName('profile-orders');
  const output = uniqueName('profile-priced');
  await broker.createTopics([input, output], PARTITIONS);
  await broker.produceOrders(input, data);
  const groupId = uniqueName(`profile-${contender}`);
  const file = process.argv[4] ?? `/tmp/broker-${contender}.cpuprofile`;
  const session = file === 'none' ? undefined : new Session();
  session?.connect();
  await session?.post('Profiler.enable');
  await session?.post('Profiler.start');
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const startContender = async (): Promise<() => Promise<void>> => {
    if (contender === 'hand') {
      const pipeline = await startKafkajsPipeline({ brokers, groupId, input, output });
      return () => pipeline.stop();
    }
    if (contender === 'hand-kafkats') {
      const pipeline = await startKafkatsPipeline({
        brokers,
        groupId,
        input,
        output,
        concurrency: PARTITIONS,
      });
      return () => pipeline.stop();
    }
    if (contender === 'port') {
      const loop = startPortLoop({ brokers, groupId, input, output, client });
      return () => loop.stop();
    }
    const app = startBrokerApp({
      brokers,
      groupId,
      topology: pricingTopology(input, output),
      runner: contender as RunnerId,
      client,
    });
    return () => app.stop();
  };
  const stop = await startContender();
  const reached = await untilOutputs(() => broker.count(output), data.kept, 120_000, 100);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (session !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
  }
  await stop();
  await broker.close();
  console.log(
    `${contender}: ${count} records in ${ms.toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms${reached.capped ? ' (capped)' : ''}`,
  );
};

void main();
