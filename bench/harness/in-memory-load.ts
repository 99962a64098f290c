import type { InMemoryKafka } from '../../lib/index';
import type { OrderData } from './orders';

/**
 * Appends the first `count` orders to `topic` (in chunks, keyed by customer), outside
 * any timer: partitioned by key, or round-robin over `spreadOver` partitions (the same
 * number of records on each).
 *
 * @example
 * loadOrders(kafka, 'orders', makeOrders(1000));
 */
export const loadOrders = (
  kafka: InMemoryKafka,
  topic: string,
  data: OrderData,
  count = data.count,
  spreadOver?: number,
): void => {
  const chunk = 10_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    const inputs = [];
    for (let i = from; i < to; i += 1)
      inputs.push({
        key: data.keys[i]!,
        value: data.values[i]!,
        ...(spreadOver === undefined ? {} : { partition: i % spreadOver }),
      });
    kafka.produce(topic, inputs);
  }
};

/** Sum of a topic's end offsets: how many records it holds. */
export const recordCount = (kafka: InMemoryKafka, topic: string): number =>
  Object.values(kafka.endOffsets(topic)).reduce((n, end) => n + Number(end), 0);
