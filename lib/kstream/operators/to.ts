import type { ProducerRecord } from '../../kafka/client';
import type { StreamRecord } from '../../record/stream-record';
import type { Bytes, IsBytes } from '../../serde/bytes';
import type { Serde } from '../../serde/serde';
import { SerdeError } from '../../errors/serde-error';
import { kindOf } from '../../errors/kind-of';
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
 * Options of `to`: the serdes for the output's key and value, and the node name. A serde
 * may be left out only for a key or value that is bytes already (`Buffer | null`): the
 * compiler asks for the others. A sink only serializes, so any serde whose `serialize`
 * takes the type fits: `Serdes.json<Order>()` (a `Serde<Order | null>`) writes a stream of
 * `Order`s.
 *
 * @example
 * const options: ToOptions<string, Order> = { key: Serdes.string(), value: Serdes.json<Order>() };
 */
export interface ToOptions<K, V> extends NodeOptions {
  readonly key?: Pick<Serde<K>, 'serialize'> | undefined;
  readonly value?: Pick<Serde<V>, 'serialize'> | undefined;
}

/**
 * {@link ToOptions} that give the key's serde: what `to` takes when the key is not bytes.
 *
 * @example
 * const options: KeySerdeRequired<string, Buffer | null> = { key: Serdes.string() };
 */
export interface KeySerdeRequired<K, V> extends ToOptions<K, V> {
  readonly key: Pick<Serde<K>, 'serialize'>;
}

/**
 * {@link ToOptions} that give the value's serde: what `to` takes when the value is not bytes.
 *
 * @example
 * const options: ValueSerdeRequired<Buffer | null, Order> = { value: Serdes.json<Order>() };
 */
export interface ValueSerdeRequired<K, V> extends ToOptions<K, V> {
  readonly value: Pick<Serde<V>, 'serialize'>;
}

/**
 * {@link ToOptions} that give both serdes: what `to` takes when neither the key nor the
 * value is bytes.
 *
 * @example
 * const options: SerdesRequired<string, Order> = { key: Serdes.string(), value: Serdes.json<Order>() };
 */
export interface SerdesRequired<K, V> extends ToOptions<K, V> {
  readonly key: Pick<Serde<K>, 'serialize'>;
  readonly value: Pick<Serde<V>, 'serialize'>;
}

/**
 * What `to(topic, ...)` and `KStream.to(topic, ...)` take after the topic, chosen by the
 * key and value types as an overload set would be: options that may be left out when both
 * are bytes (`Buffer | null`), else options that give the serde of each one that is not
 * (without a serde a sink writes bytes, and only bytes). A tuple type rather than overloads:
 * a missing serde is then reported at the `to(...)` call ("Property 'key' is missing ... in
 * type 'SerdesRequired<string, Order>'"), not as a mismatch in the operator before it.
 *
 * @example
 * const args: ToArguments<string, Buffer | null> = [{ key: Serdes.string() }];
 * const none: ToArguments<Buffer | null, Buffer | null> = [];
 */
export type ToArguments<K, V> =
  IsBytes<K> extends true
    ? IsBytes<V> extends true
      ? [options?: ToOptions<K, V>]
      : [serdes: ValueSerdeRequired<K, V>]
    : IsBytes<V> extends true
      ? [serdes: KeySerdeRequired<K, V>]
      : [serdes: SerdesRequired<K, V>];

const checkedTopic = (topic: unknown): string => {
  if (typeof topic !== 'string' || topic === '') {
    throw new Error(`the topic name extractor returned ${JSON.stringify(topic)}, not a topic name`);
  }
  return topic;
};

/**
 * How a sink writes a key or value it has no serde for: bytes as they are. Anything else (a
 * typed stream reached from JavaScript, or through a cast) is a SerdeError that names the
 * key or the value, the output topic and the serdes to give; the task adds the input
 * record's location and the node.
 */
const bytesOnly =
  (target: 'key' | 'value', topic: string | TopicNameExtractor<never, never>) =>
  (out: string, data: unknown): Bytes => {
    if (data === null || Buffer.isBuffer(data)) return data;
    const fix = `to(${typeof topic === 'string' ? `'${topic}'` : 'topic'}, { key: Serdes.string(), value: Serdes.json() })`;
    throw new SerdeError(
      `a sink without a ${target} serde writes ${target}s as bytes, but the ${target} for topic ${out} is ${kindOf(data)}, not a Buffer or null: give it serdes, e.g. ${fix}`,
      { topic: out, target },
    );
  };

/**
 * Ends a stream by writing each record to `topic` (or to the topic `topic(key, value,
 * record)` picks), serialized with the given serdes and carrying the record's headers and
 * timestamp. A terminal: nothing can be piped after it. Node kind `SINK`.
 *
 * The serdes may be left out only for a key or value that is bytes (`Buffer | null`)
 * already; for any other type the compiler asks for its serde. (Reached from JavaScript, a
 * sink without a serde fails each record whose key or value is not bytes with a SerdeError
 * naming the key or the value, the topic and the node.)
 *
 * As a standalone RxJS operator it serializes each record (so serde errors show) and
 * emits nothing: only a topology has a producer to write to.
 *
 * @example
 * stream.pipe(to('big-orders', { key: Serdes.string(), value: Serdes.json<Order>() }));
 * builder.stream('raw').pipe(to('raw-copy')); // bytes: no serdes needed
 */
export const to = <K, V>(
  topic: string | TopicNameExtractor<K, V>,
  ...serdes: ToArguments<K, V>
): TerminalOperator<K, V> => {
  const [options] = serdes;
  checkKnownKeys<ToOptions<K, V>>('to', options, { name: true, key: true, value: true });
  const keySerde = options?.key ?? { serialize: bytesOnly('key', topic) };
  const valueSerde = options?.value ?? { serialize: bytesOnly('value', topic) };
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

/**
 * The sink of an application's internal topic `name` (a repartition topic): it writes to
 * `<applicationId>-<name>` once `Topology.forApplication` has named it. Internal: `groupBy`.
 *
 * @example
 * stream.pipe(internalTo('counts-repartition', { key: Serdes.string(), value: Serdes.string() }));
 */
export const internalTo = <K, V>(
  name: string,
  serdes: SerdesRequired<K, V>,
): TerminalOperator<K, V> => {
  const named = (topic: string): SinkNode<K, V> =>
    to<K, V>(topic, ...([serdes] as unknown as ToArguments<K, V>)).node as SinkNode<K, V>;
  const node: SinkNode<K, V> = { ...named(name), internal: { at: named } };
  const operator = compiledOperator<StreamRecord<K, V>, never>(node);
  return Object.assign(operator, { node });
};
