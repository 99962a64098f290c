// The README's quick start, type-checked by the build and run by spec/docs/docs-code-spec.ts.
import {
  Application,
  fixedBackoff,
  filter,
  InMemoryKafka,
  mapValues,
  partitionedRunner,
  Serdes,
  shutdownSignal,
  StreamsBuilder,
  withDLQ,
  withMaxAttempts,
} from 'rx-kstreams';

export const quickStart = async (
  kafka = new InMemoryKafka(),
  signal: AbortSignal = shutdownSignal(),
): Promise<void> => {
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
    )
    .to('orders.taxed', { key: Serdes.string(), value: Serdes.json() });
  const topology = builder.build();

  // InMemoryKafka here; kafkajsClient({ brokers, groupId }) from 'rx-kstreams/kafkajs' on a cluster
  const app = new Application(kafka.client({ groupId: 'tax' }), topology);
  await app.runWith(
    signal,
    partitionedRunner({
      errorHandler: withMaxAttempts(3, fixedBackoff(1000), withDLQ('orders.dlq')),
    }),
  );
};
