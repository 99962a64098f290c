import {
  filter,
  mapValues,
  type RunnerFactory,
  partitionedRunner,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  type Topology,
} from '../../lib/index';
import { keep, type Order, type PricedOrder, price } from './orders';

/**
 * The throughput benchmarks' topology: source → filter → mapValues → to, with the same
 * `keep` and `price` the hand-written contenders call.
 *
 * @example
 * const topology = pricingTopology('orders', 'orders.priced');
 */
export const pricingTopology = (input: string, output: string): Topology => {
  const builder = new StreamsBuilder();
  builder
    .stream(input, { key: Serdes.string(), value: Serdes.json<Order>() })
    .pipe(
      filter((_key, order): order is Order => keep(order)),
      mapValues((order: Order): PricedOrder => price(order)),
    )
    .to(output, { key: Serdes.string(), value: Serdes.json<PricedOrder>() });
  return builder.build();
};

/** The two runners, as contenders name them. */
export type RunnerId = 'single' | 'partitioned';

/** Labels of the runner contenders. */
export const RUNNER_LABELS: Readonly<Record<RunnerId, string>> = {
  single: 'rx-kstreams singleThreadedRunner',
  partitioned: 'rx-kstreams partitionedRunner',
};

/**
 * The runner factory for a contender id, with the library's defaults unless `options` says.
 *
 * @example
 * app.runWith(signal, runnerFactory('partitioned', { channelBufferSize: 100 }));
 */
export const runnerFactory = (
  id: RunnerId,
  options: { readonly channelBufferSize?: number; readonly maxPollRecords?: number } = {},
): RunnerFactory =>
  id === 'single'
    ? singleThreadedRunner({ maxPollRecords: options.maxPollRecords })
    : partitionedRunner(options);
