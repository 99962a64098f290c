import type { ProducerRecord } from '../../kafka/client';
import type { StreamRecord } from '../../record/stream-record';
import type { Serde } from '../../serde/serde';
import { Serdes } from '../../serde/serdes';
import type { SinkNode } from '../../topology/operator-node';
import { serdeFailureAt } from '../../topology/serde-failure-at';
import { compiledOperator } from '../../topology/compiled-operator';
import { thenValue } from '../../topology/eventual';
import type { NodeOptions } from '../node-options';
import type { TerminalOperator } from '../stream-operator';
import { checkKnownKeys } from '../../errors/known-keys';

/**
 * Picks the output topic of each record (Kafka Streams' `TopicNameExtractor`).
 *
 * @example
 * const byCountry: TopicNameExtractor<string, Order> = (_k, order) => `orders-${order.country}`;
 */
export type TopicNameExtractor<K, V> = (
  key: K,
  value: V,
  record: StreamRecord<K, V>,
) => string | Promise<string>;

/**
 * Options of `to`: the serdes for the output's key and value (bytes when absent: the
 * key or value must then be a Buffer or null), and the node name. A sink only
 * serializes, so any serde whose `serialize` takes the type fits: `Serdes.json<Order>()`
 * (a `Serde<Order | null>`) writes a stream of `Order`s.
 *
 * @example
 * const options: ToOptions<string, Order> = { key: Serdes.string(), value: Serdes.json<Order>() };
 */
export interface ToOptions<K, V> extends NodeOptions {
  readonly key?: Pick<Serde<K>, 'serialize'>;
  readonly value?: Pick<Serde<V>, 'serialize'>;
}

const checkedTopic = (topic: unknown): string => {
  if (typeof topic !== 'string' || topic === '') {
    throw new Error(`the topic name extractor returned ${JSON.stringify(topic)}, not a topic name`);
  }
  return topic;
};

/**
 * Ends a stream by writing each record to `topic` (or to the topic `topic(key, value,
 * record)` picks), serialized with the given serdes and carrying the record's headers and
 * timestamp. A terminal: nothing can be piped after it. Node kind `SINK`.
 *
 * As a standalone RxJS operator it serializes each record (so serde errors show) and
 * emits nothing: only a topology has a producer to write to.
 *
 * @example
 * stream.pipe(to('big-orders', { key: Serdes.string(), value: Serdes.json<Order>() }));
 */
export const to = <K, V>(
  topic: string | TopicNameExtractor<K, V>,
  options?: ToOptions<K, V>,
): TerminalOperator<K, V> => {
  checkKnownKeys<ToOptions<K, V>>('to', options, { name: true, key: true, value: true });
  // Without a serde the key/value must be bytes; the bytes serde says so when it is not.
  const keySerde = options?.key ?? (Serdes.bytes() as Pick<Serde<unknown>, 'serialize'>);
  const valueSerde = options?.value ?? (Serdes.bytes() as Pick<Serde<unknown>, 'serialize'>);
  // Runs for every output record: no closure or site object unless a serde fails.
  const serialized = (
    record: StreamRecord<K, V>,
    nodeName: string | undefined,
    out: string,
  ): ProducerRecord => {
    let target: 'key' | 'value' = 'key';
    try {
      const key = keySerde.serialize(out, record.key);
      target = 'value';
      const value = valueSerde.serialize(out, record.value);
      return { topic: out, key, value, headers: record.headers, timestamp: record.timestamp };
    } catch (error) {
      const site = { serdeTopic: out, record, nodeName, target, direction: 'serialize' } as const;
      throw serdeFailureAt(error, site);
    }
  };
  const node: SinkNode<K, V> = {
    _tag: 'Sink',
    kind: 'SINK',
    name: options?.name,
    topic: typeof topic === 'string' ? topic : undefined,
    producerRecord: (record, nodeName) =>
      typeof topic === 'string'
        ? serialized(record, nodeName, topic)
        : thenValue(topic(record.key, record.value, record), (out) =>
            serialized(record, nodeName, checkedTopic(out)),
          ),
  };
  const operator = compiledOperator<StreamRecord<K, V>, never>(node);
  return Object.assign(operator, { node });
};
