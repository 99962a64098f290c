import {
  Application,
  InMemoryKafka,
  mapValues,
  Serdes,
  StreamsBuilder,
  type Topology,
} from '../lib/index';
import type { Benchmark, BenchReport } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { fmt } from './harness/format';
import { loadOrders, recordCount } from './harness/in-memory-load';
import { makeOrders, type Order, type OrderData, type PricedOrder, price } from './harness/orders';
import { RUNNER_LABELS, runnerFactory, type RunnerId } from './harness/pricing-topology';
import { sleep, waitFor } from './harness/sleep';
import { throughputTable } from './harness/throughput-table';
import { alternate, type Contender, summarize, type Trial } from './harness/trial';
import { ratioVerdict } from './harness/verdict';

const INPUT = 'orders';
const OUTPUT = 'orders.priced';
const PARTITIONS = 8;
const CALL_MS = 5;

/** source → mapValues(await a 5 ms call, then price) → to. */
const ioTopology = (): Topology => {
  const builder = new StreamsBuilder();
  builder
    .stream(INPUT, { key: Serdes.string(), value: Serdes.json<Order>() })
    .pipe(
      mapValues(async (order: Order | null): Promise<PricedOrder | null> => {
        await sleep(CALL_MS); // a remote call: a price lookup, a database write
        return order === null ? null : price(order);
      }),
    )
    .to(OUTPUT, { key: Serdes.string(), value: Serdes.json<PricedOrder | null>() });
  return builder.build();
};

const ioContender = (id: RunnerId, data: OrderData): Contender => ({
  id,
  label: RUNNER_LABELS[id],
  prepare: async (): Promise<Trial> => {
    const kafka = new InMemoryKafka({ autoCreateTopics: false });
    kafka.createTopic(INPUT, { partitions: PARTITIONS });
    kafka.createTopic(OUTPUT, { partitions: PARTITIONS });
    loadOrders(kafka, INPUT, data, data.count, PARTITIONS);
    const app = new Application(kafka.client({ groupId: id }), ioTopology());
    return {
      run: async () => {
        const running = app.runWith(undefined, runnerFactory(id));
        let failed: unknown;
        running.catch((error: unknown) => (failed = error));
        await waitFor(
          () => {
            if (failed !== undefined) throw failed;
            return recordCount(kafka, OUTPUT) >= data.count;
          },
          `${id}: ${data.count} outputs`,
          600_000,
          5,
        );
        app.close();
        await running;
        return { records: data.count };
      },
    };
  },
});

/** Benchmark 3: partitions as concurrency when every record waits on I/O. */
export const ioBound: Benchmark = {
  id: 'io',
  title: '3. I/O-bound work: a 5 ms asynchronous call per record',
  needsBroker: false,
  run: async (ctx: BenchContext): Promise<BenchReport> => {
    const count = ctx.scaled(4000, 160);
    const data = makeOrders(count);
    const contenders = ctx.select([ioContender('single', data), ioContender('partitioned', data)]);
    const summaries = summarize(await alternate(contenders, 1, ctx.log));
    const single = summaries.find((s) => s.id === 'single');
    const partitioned = summaries.find((s) => s.id === 'partitioned');
    const ideal = (PARTITIONS * 1000) / CALL_MS;
    return {
      id: ioBound.id,
      title: ioBound.title,
      setup: `${fmt.int(count)} records spread evenly (round-robin) over ${PARTITIONS} partitions of the in-memory Kafka; mapValues awaits a ${CALL_MS} ms timer per record; runners with default options (channelBufferSize 100); one round each`,
      tables: [throughputTable(summaries, single)],
      verdicts:
        single !== undefined && partitioned !== undefined
          ? [
              ratioVerdict(
                'partitioned / single-threaded (I/O-bound)',
                partitioned.medianRate,
                single.medianRate,
                7,
              ),
            ]
          : [],
      notes: [
        'The records are spread evenly rather than by key: keyed, the busiest partition holds ~10 % more than the mean, and the run takes as long as its busiest partition, which measures the key skew rather than the runner.',
        `Ideal: one call per partition at a time, ${PARTITIONS}× the single-threaded rate; a ${CALL_MS} ms timer caps one partition at ${1000 / CALL_MS} records/s, so ${fmt.int(ideal)} records/s in all.`,
      ],
    };
  },
};
