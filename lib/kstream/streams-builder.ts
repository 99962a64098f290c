import { TopologyError } from '../errors/topology-error';
import type { Bytes } from '../serde/bytes';
import type { Serde } from '../serde/serde';
import { Serdes } from '../serde/serdes';
import { Topology } from '../topology/topology';
import { TopologyGraph } from '../topology/topology-graph';
import { topologyProblems } from '../topology/topology-problems';
import { KStream } from './kstream';
import type { NodeOptions } from './node-options';
import { checkKnownKeys } from '../errors/known-keys';
import { storeProblems } from '../state/store-problems';
import type { StoreDefinition } from '../state/stores';

/**
 * Options of `StreamsBuilder.stream`: the serdes of the source's keys and values (bytes,
 * `Buffer | null`, when absent) and the source node's name.
 *
 * @example
 * const options: StreamOptions<string | null, Order | null> = {
 *   key: Serdes.string(),
 *   value: Serdes.json<Order>(),
 * };
 */
export interface StreamOptions<K, V> extends NodeOptions {
  readonly key?: Serde<K> | undefined;
  readonly value?: Serde<V> | undefined;
}

/** Whether a source without a serde (reading `Buffer | null`) gives a `T`: `unknown` does. */
type ReadsBytes<T> = [Bytes] extends [T] ? true : false;

/**
 * What `StreamsBuilder.stream(topics, ...)` takes after the topics, chosen by the key and
 * value types: options that may be left out when the source may read bytes (`Buffer |
 * null`, the type without a serde), else options that give the serde of each one that
 * bytes are not. So `const s: KStream<string, Order> = builder.stream('orders')` does not
 * compile: without serdes the source reads Buffers, whatever the annotation says.
 *
 * @example
 * const args: StreamArguments<string | null, Buffer | null> = [{ key: Serdes.string() }];
 */
export type StreamArguments<K, V> =
  ReadsBytes<K> extends true
    ? ReadsBytes<V> extends true
      ? [options?: StreamOptions<K, V>]
      : [serdes: StreamOptions<K, V> & { readonly value: Serde<V> }]
    : ReadsBytes<V> extends true
      ? [serdes: StreamOptions<K, V> & { readonly key: Serde<K> }]
      : [serdes: StreamOptions<K, V> & { readonly key: Serde<K>; readonly value: Serde<V> }];

/**
 * Describes a topology: `stream()` adds a source, `KStream.pipe` the nodes below it,
 * `build()` checks the whole and returns an immutable {@link Topology}.
 *
 * @example
 * const builder = new StreamsBuilder();
 * builder
 *   .stream('sentences', { value: Serdes.string() })
 *   .pipe(
 *     flatMapValues((sentence) => (sentence ?? '').split(' ')),
 *     to('words', { value: Serdes.string() }),
 *   );
 * const topology = builder.build();
 */
export class StreamsBuilder {
  private readonly graph = new TopologyGraph();
  private readonly stores = new Map<string, StoreDefinition<unknown, unknown>>();

  /**
   * Adds a source node reading `topics` (one name or several) and returns its stream. A
   * topic may be read by one source only (checked by `build()`). Without serdes it reads
   * bytes (`Buffer | null`): a stream typed as anything else needs the serdes that make it.
   *
   * @example
   * const raw = builder.stream('raw-events'); // KStream<Buffer | null, Buffer | null>
   * const orders = builder.stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() });
   * // KStream<string | null, Order | null>
   */
  stream<K = Bytes, V = Bytes>(
    topics: string | readonly string[],
    ...serdes: StreamArguments<K, V>
  ): KStream<K, V> {
    const [options] = serdes;
    checkKnownKeys<StreamOptions<K, V>>('stream', options, { name: true, key: true, value: true });
    const source = this.graph.attach(undefined, {
      _tag: 'Source',
      kind: 'SOURCE',
      name: options?.name,
      topics: Object.freeze(typeof topics === 'string' ? [topics] : [...topics]),
      key: options?.key ?? Serdes.bytes(),
      value: options?.value ?? Serdes.bytes(),
    });
    return new KStream<K, V>(this.graph, source);
  }

  /**
   * Declares a state store for the processors that name it (`process(supplier, { stores:
   * [name] })`); each task gets its own. A second store of the same name is refused.
   *
   * @example
   * builder.addStateStore(
   *   Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.json<number>() }),
   * );
   */
  addStateStore<K, V>(store: StoreDefinition<K, V>): this {
    if (store === null || typeof store !== 'object' || store._tag !== 'KeyValueStore') {
      throw new TopologyError(
        'addStateStore takes a store from Stores.keyValueStore(name, { key, value })',
      );
    }
    if (this.stores.has(store.name)) {
      throw new TopologyError(`a state store named "${store.name}" is declared already`);
    }
    this.stores.set(store.name, store as unknown as StoreDefinition<unknown, unknown>);
    return this;
  }

  /**
   * Checks the topology and returns it; later changes to this builder do not change it.
   * Throws a TopologyError listing every problem found, each naming its node: a stream
   * with no terminal, two nodes with one name, a branch with no branches, a topic read by
   * two sources, an empty topic list or name, a process supplier that returns one
   * instance twice (each supplier is called twice here, and the instances dropped).
   */
  build(): Topology {
    const problems = [
      ...topologyProblems(this.graph.sources),
      ...storeProblems(this.graph.sources, this.stores),
    ];
    if (problems.length > 0) {
      throw new TopologyError(`invalid topology:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    return new Topology(this.graph.sources, [...this.stores.values()]);
  }
}
