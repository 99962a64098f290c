// One runner of the hot-path benchmark on its own, profiled while it runs (not while the
// input is made), for bench/profile-top.ts:
//
//   npx tsx bench/profile-hot-path.ts single 200000 /tmp/single.cpuprofile
//   npx tsx bench/profile-top.ts /tmp/single.cpuprofile 30
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Application } from '../lib/index';
import { INPUT, loadedKafka, OUTPUT } from './hot-path';
import { recordCount } from './harness/in-memory-load';
import { makeOrders } from './harness/orders';
import { pricingTopology, runnerFactory, type RunnerId } from './harness/pricing-topology';
import { untilOutputs } from './harness/until-outputs';

const main = async (): Promise<void> => {
  const runner = (process.argv[2] ?? 'single') as RunnerId;
  const count = Number(process.argv[3] ?? 200_000);
  const data = makeOrders(count);
  const kafka = loadedKafka(data);
  const app = new Application(kafka.client({ groupId: 'profile' }), pricingTopology(INPUT, OUTPUT));
  const stop = new AbortController();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const started = performance.now();
  const running = app.runWith(stop.signal, runnerFactory(runner));
  await untilOutputs(() => recordCount(kafka, OUTPUT), data.kept, 120_000);
  const ms = performance.now() - started;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(process.argv[4] ?? `/tmp/${runner}.cpuprofile`, JSON.stringify(profile));
  stop.abort();
  await running;
  console.log(
    `${runner}: ${count} records in ${ms.toFixed(0)} ms (${recordCount(kafka, OUTPUT)} out)`,
  );
};

void main();
