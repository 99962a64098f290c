// The README's quick start, line for line: type-checked by the build, run as a program by
// spec/docs/docs-code-spec.ts, and compiled against the packed package by
// spec/package/packed-package-spec.ts. Run it with `npx tsx examples/quick-start.ts`.
import {
  Application,
  filter,
  fixedBackoff,
  InMemoryKafka,
  mapValues,
  partitionedRunner,
  peek,
  Serdes,
  shutdownSignal,
  StreamsBuilder,
  withDLQ,
  withMaxAttempts,
} from 'rx-kstreams';

interface Order {
  id: string;
  amount: number;
  status: string;
}

const builder = new StreamsBuilder();
builder
  .stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() })
  .pipe(
    filter((_key, order): order is Order => order !== null && order.status !== 'cancelled'),
    mapValues((order) => ({ ...order, amountWithTax: order.amount * 1.2 })),
    peek((key, order) => console.log('taxed', key, order)),
  )
  .to('orders.taxed', { key: Serdes.string(), value: Serdes.json() });
const topology = builder.build();

const main = async (): Promise<void> => {
  // A Kafka in memory, with two orders in it. On a cluster, give the Application
  // kafkajsClient({ brokers: ['localhost:9092'], groupId: 'tax' }) from 'rx-kstreams/kafkajs'.
  const kafka = new InMemoryKafka();
  kafka.produce('orders', [
    { key: 'c-1', value: JSON.stringify({ id: 'o-1', amount: 10, status: 'new' }) },
    { key: 'c-2', value: JSON.stringify({ id: 'o-2', amount: 20, status: 'cancelled' }) },
  ]);

  const app = new Application(kafka.client({ groupId: 'tax' }), topology);
  console.log('running; Ctrl-C to stop');
  await app.runWith(
    shutdownSignal(), // aborts on Ctrl-C (SIGINT) and SIGTERM
    partitionedRunner({
      errorHandler: withMaxAttempts(3, fixedBackoff(1000), withDLQ('orders.dlq')),
    }),
  );
  console.log('stopped');
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
