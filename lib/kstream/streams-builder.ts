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
import { Stores } from '../state/stores';
import type { KeyValueBytesStoreSupplier } from '../state/bytes-store';
import type { KeyValueStore } from '../state/key-value-store';
import type { Processor } from '../topology/processor';
import type { ProcessorContext } from '../topology/processor-context';
import { KTable } from './ktable';
import { processOfKind } from './operators/process';
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
 * Options of `builder.table(topic, ...)`: the serdes of the topic's keys and values, the
 * store that keeps the table (default `<topic>-table`), its supplier and logging, and the
 * table node's name.
 *
 * @example
 * const options: TableOptions<string, number> = { key: Serdes.string(), value: Serdes.json<number>() };
 */
export interface TableOptions<K, V> extends NodeOptions {
  readonly key: Serde<K>;
  readonly value: Serde<V>;
  readonly store?: string | undefined;
  readonly supplier?: KeyValueBytesStoreSupplier | undefined;
  readonly logging?: boolean | undefined;
}

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
   * A table read from `topic`: each record sets its key's value, a `null` value (a
   * tombstone) deletes the key, a record without a key is skipped. The table is kept in the
   * state store `store` (default `<topic>-table`), which `app.store(...)` queries; its
   * updates are `table.toStream()`. Node `TABLE` below the source.
   *
   * @example
   * const prices = builder.table('prices', { key: Serdes.string(), value: Serdes.json<number>() });
   */
  table<K, V>(topic: string, options: TableOptions<K, V>): KTable<K, V> {
    checkKnownKeys<TableOptions<K, V>>('table', options, {
      name: true,
      key: true,
      value: true,
      store: true,
      supplier: true,
      logging: true,
    });
    if (options === undefined || options.key === undefined || options.value === undefined) {
      throw new TopologyError(
        `table(${JSON.stringify(topic)}) needs the key's and the value's serdes: { key: Serdes.string(), value: Serdes.json() }`,
      );
    }
    const store = options.store ?? `${topic}-table`;
    this.graph.addStore(
      Stores.keyValueStore(store, {
        key: options.key,
        value: options.value,
        supplier: options.supplier,
        logging: options.logging,
      }) as never,
    );
    const source = this.stream<K, V>(topic, { key: options.key, value: options.value } as never);
    const materialize = (): Processor<K, V, K, V> => {
      let context: ProcessorContext<K, V>;
      let table: KeyValueStore<K, V>;
      return {
        init: (c) => {
          context = c;
          table = c.stateStore<K, V>(store);
        },
        process: (record) => {
          if (record.key === null || record.key === undefined) return;
          if (record.value === null) table.delete(record.key);
          else table.put(record.key, record.value);
          context.forward(record);
        },
      };
    };
    const updates = source.pipe(
      processOfKind('TABLE', materialize, { name: options.name, stores: [store] }),
    );
    return new KTable(updates, store);
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
    this.graph.addStore(store as unknown as StoreDefinition<unknown, unknown>);
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
      ...storeProblems(this.graph.sources, this.graph.stores),
    ];
    if (problems.length > 0) {
      throw new TopologyError(`invalid topology:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    return new Topology(this.graph.sources, [...this.graph.stores.values()]);
  }
}
