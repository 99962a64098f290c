import { TopologyError } from '../errors/topology-error';
import type { StreamRecord } from '../record/stream-record';
import type { RecordContext } from '../topology/record-context';
import type { BranchRoute, GraphNode } from '../topology/graph-node';
import type { OperatorNode, TerminalNode } from '../topology/operator-node';
import type { TopologyGraph } from '../topology/topology-graph';
import type { BranchPredicate, Branches, BranchStreams, NoSymbolKeys } from './branch-predicate';
import { DEFAULT_BRANCH, type DefaultBranch } from './default-branch';
import type { NodeOptions } from './node-options';
import { forEach as forEachOperator } from './operators/for-each';
import {
  internalTo,
  type SerdesRequired,
  type ToArguments,
  type TopicNameExtractor,
  to as toOperator,
} from './operators/to';
import { mapKeys as mapKeysOperator } from './operators/map-keys';
import { filter as filterOperator } from './operators/filter';
import type { StreamOperator, TerminalOperator } from './stream-operator';
import { TerminalStream } from './terminal-stream';
import { KGroupedStream } from './kgrouped-stream';
import { KTable } from './ktable';
import { joining, type ValueJoiner } from './stream-table-join';
import { processOfKind } from './operators/process';
import type { Serde } from '../serde/serde';

/**
 * Options of `KStream.groupBy`: the serdes of the new key and of the value, which the
 * repartition topic is written and read with, and the name of the node that picks the key.
 *
 * @example
 * const options: GroupByOptions<string, Order | null> = { key: Serdes.string(), value: Serdes.json<Order>() };
 */
export interface GroupByOptions<K, V> extends NodeOptions {
  readonly key: Serde<NoInfer<K>> | Serde<NoInfer<K> | null>;
  readonly value: Serde<NoInfer<V>> | Serde<NonNullable<NoInfer<V>> | null>;
}

type PipeOperator = {
  readonly node: OperatorNode<unknown, unknown, unknown, unknown> | TerminalNode<unknown, unknown>;
};

const OPERATOR_TAGS: ReadonlySet<unknown> = new Set(['Step', 'Processor', 'Sink', 'ForEach']);
const TERMINAL_TAGS: ReadonlySet<unknown> = new Set(['Sink', 'ForEach']);

const isPipeOperator = (value: unknown): value is PipeOperator =>
  typeof value === 'function' &&
  OPERATOR_TAGS.has((value as { node?: { _tag?: unknown } }).node?._tag);

const checkOperators = (operators: readonly unknown[]): readonly PipeOperator[] =>
  operators.map((operator, index) => {
    if (!isPipeOperator(operator)) {
      throw new TopologyError(
        `pipe() argument ${index + 1} is not an rx-kstreams operator: use filter, map, to, ... from rx-kstreams (the RxJS operators of the same names do not make topology nodes)`,
      );
    }
    if (TERMINAL_TAGS.has(operator.node._tag) && index < operators.length - 1) {
      throw new TopologyError(
        `pipe() argument ${index + 1} is a terminal (${operator.node.kind}): nothing can follow it`,
      );
    }
    return operator;
  });

/**
 * A stream of records of one part of a topology. `pipe` adds operators below it and
 * returns the stream they produce; piping the same stream twice fans out (each child gets
 * every record, children in the order they were piped). Made by `StreamsBuilder.stream`.
 *
 * @example
 * const orders = builder.stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() });
 * orders.pipe(
 *   filter((_key, order) => order !== null && order.total > 100),
 *   mapValues((order) => order?.total ?? 0),
 *   to('big-order-totals', { key: Serdes.string(), value: Serdes.json<number>() }),
 * );
 */
export class KStream<K, V> {
  /** @internal Made by `StreamsBuilder.stream`, `pipe` and `branch`. */
  constructor(
    private readonly graph: TopologyGraph,
    private readonly node: GraphNode,
  ) {}

  /** The name of the node whose output this stream is. */
  get nodeName(): string {
    return this.node.name;
  }

  /**
   * Adds the operators below this stream, in order, and returns the stream the last one
   * produces, or a {@link TerminalStream} when the last one is `to` or `forEach`.
   * Throws a TopologyError for an argument that is not an rx-kstreams operator, or for a
   * terminal that is not last.
   *
   * @example
   * const totals: KStream<string, number> = orders.pipe(mapValues((order) => order.total));
   * const end: TerminalStream = totals.pipe(
   *   filter((_k, total) => total > 0),
   *   to('totals', { key: Serdes.string(), value: Serdes.json<number>() }),
   * );
   */
  pipe(): KStream<K, V>;
  pipe<K1, V1>(op1: StreamOperator<K, V, K1, V1>): KStream<K1, V1>;
  pipe(op1: TerminalOperator<K, V>): TerminalStream;
  pipe<K1, V1, K2, V2>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
  ): KStream<K2, V2>;
  pipe<K1, V1>(op1: StreamOperator<K, V, K1, V1>, op2: TerminalOperator<K1, V1>): TerminalStream;
  pipe<K1, V1, K2, V2, K3, V3>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
  ): KStream<K3, V3>;
  pipe<K1, V1, K2, V2>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: TerminalOperator<K2, V2>,
  ): TerminalStream;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
  ): KStream<K4, V4>;
  pipe<K1, V1, K2, V2, K3, V3>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: TerminalOperator<K3, V3>,
  ): TerminalStream;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
  ): KStream<K5, V5>;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: TerminalOperator<K4, V4>,
  ): TerminalStream;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5, K6, V6>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: StreamOperator<K5, V5, K6, V6>,
  ): KStream<K6, V6>;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: TerminalOperator<K5, V5>,
  ): TerminalStream;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5, K6, V6, K7, V7>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: StreamOperator<K5, V5, K6, V6>,
    op7: StreamOperator<K6, V6, K7, V7>,
  ): KStream<K7, V7>;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5, K6, V6>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: StreamOperator<K5, V5, K6, V6>,
    op7: TerminalOperator<K6, V6>,
  ): TerminalStream;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5, K6, V6, K7, V7, K8, V8>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: StreamOperator<K5, V5, K6, V6>,
    op7: StreamOperator<K6, V6, K7, V7>,
    op8: StreamOperator<K7, V7, K8, V8>,
  ): KStream<K8, V8>;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5, K6, V6, K7, V7>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: StreamOperator<K5, V5, K6, V6>,
    op7: StreamOperator<K6, V6, K7, V7>,
    op8: TerminalOperator<K7, V7>,
  ): TerminalStream;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5, K6, V6, K7, V7, K8, V8, K9, V9>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: StreamOperator<K5, V5, K6, V6>,
    op7: StreamOperator<K6, V6, K7, V7>,
    op8: StreamOperator<K7, V7, K8, V8>,
    op9: StreamOperator<K8, V8, K9, V9>,
  ): KStream<K9, V9>;
  pipe<K1, V1, K2, V2, K3, V3, K4, V4, K5, V5, K6, V6, K7, V7, K8, V8>(
    op1: StreamOperator<K, V, K1, V1>,
    op2: StreamOperator<K1, V1, K2, V2>,
    op3: StreamOperator<K2, V2, K3, V3>,
    op4: StreamOperator<K3, V3, K4, V4>,
    op5: StreamOperator<K4, V4, K5, V5>,
    op6: StreamOperator<K5, V5, K6, V6>,
    op7: StreamOperator<K6, V6, K7, V7>,
    op8: StreamOperator<K7, V7, K8, V8>,
    op9: TerminalOperator<K8, V8>,
  ): TerminalStream;
  pipe(
    ...operators: readonly PipeOperator[]
  ): KStream<K, V> | KStream<unknown, unknown> | TerminalStream {
    if (operators.length === 0) return this;
    let node = this.node;
    for (const operator of checkOperators(operators)) node = this.graph.attach(node, operator.node);
    const last = operators[operators.length - 1];
    return last !== undefined && TERMINAL_TAGS.has(last.node._tag)
      ? new TerminalStream(node.name)
      : new KStream<unknown, unknown>(this.graph, node);
  }

  /**
   * Splits the stream: each record goes to the first branch, in the object's key order
   * (`Object.keys` order), whose predicate holds; the {@link DEFAULT_BRANCH} branch, if
   * any, takes the records no predicate took; without one they are dropped. Adds a
   * `BRANCH` node and, per branch, a `BRANCHCHILD` node named `<branch node>-<branch>`.
   * Returns one `KStream` per name given ({@link BranchStreams}): computed names
   * (`{ [name]: p }` with a `const name`) and a `Record<Names, ...>` keep their names.
   * Throws a TopologyError for a symbol key (branches are named by strings) and for a
   * value that is neither a predicate nor `DEFAULT_BRANCH`.
   *
   * @example
   * const { eu, us, rest } = orders.branch({
   *   eu: (_key, order) => order.region === 'eu',
   *   us: (_key, order) => order.region === 'us',
   *   rest: DEFAULT_BRANCH,
   * }, { name: 'by-region' });
   * eu.pipe(to('orders-eu', { key: Serdes.string(), value: Serdes.json<Order>() })); // node 'by-region-eu'
   */
  branch<B extends Branches<K, V> & NoSymbolKeys>(
    branches: B,
    options?: NodeOptions,
  ): BranchStreams<B, K, V> {
    const [symbol] = Object.getOwnPropertySymbols(branches);
    if (symbol !== undefined) {
      throw new TopologyError(
        `branch() got a symbol key (${String(symbol)}): name each branch with a string`,
      );
    }
    const routes: BranchRoute[] = [];
    const branchNode = this.graph.attach(this.node, {
      _tag: 'Branch',
      kind: 'BRANCH',
      name: options?.name,
      routes,
    });
    const streams: Record<string, KStream<K, V>> = {};
    for (const [label, predicate] of Object.entries(branches)) {
      const child = this.graph.attach(branchNode, {
        _tag: 'BranchChild',
        kind: 'BRANCHCHILD',
        name: `${branchNode.name}-${label}`,
        label,
      });
      routes.push(this.route(branchNode, label, predicate, child));
      streams[label] = new KStream<K, V>(this.graph, child);
    }
    return streams as BranchStreams<B, K, V>;
  }

  /**
   * Ends the stream by writing to a topic: `stream.pipe(to(topic, options))`. The serdes
   * may be left out only for a key or value that is bytes (`Buffer | null`) already.
   *
   * @example
   * stream.to('orders-copy', { key: Serdes.string(), value: Serdes.json<Order>() });
   * builder.stream('raw').to('raw-copy'); // bytes: no serdes needed
   */
  to(topic: string | TopicNameExtractor<K, V>, ...serdes: ToArguments<K, V>): TerminalStream {
    return this.pipe(toOperator(topic, ...serdes));
  }

  /**
   * Groups the stream by the key its records have, for `count`, `reduce` or `aggregate`:
   * every record of a key is in one partition already, so each task aggregates its keys on
   * its own. `key` is the key's serde, for the aggregation's store (it may be given there
   * instead).
   *
   * @example
   * const counts = words.groupByKey({ key: Serdes.string() }).count({ store: 'counts' });
   */
  groupByKey(options: { readonly key?: Serde<K> | undefined } = {}): KGroupedStream<K, V> {
    return new KGroupedStream<K, V>(this.graph, () => this, options.key);
  }

  /**
   * Groups the stream by a new key, `selector(key, value, record)` (or what it resolves to),
   * for `count`, `reduce` or `aggregate`. A record's partition follows its old key, so the
   * records go through a repartition topic, `<applicationId>-<store>-repartition` (made
   * with the source topics' partitions when the run starts), written with the new key:
   * every record of a key then reaches the one task that aggregates it. Records whose new
   * key or whose value is null are dropped before it (an aggregation skips them). `key` and
   * `value` serialize the repartition topic; `key` is the store's key serde too.
   *
   * @example
   * const byCustomer = orders
   *   .groupBy((_id, order) => order?.customer ?? null, { key: Serdes.string(), value: Serdes.json<Order>() })
   *   .count({ store: 'orders-per-customer' });
   */
  groupBy<K2>(
    selector: (key: K, value: V, record: StreamRecord<K, V>) => K2 | null | Promise<K2 | null>,
    options: GroupByOptions<K2, V>,
  ): KGroupedStream<K2, V> {
    if (typeof selector !== 'function') {
      throw new TopologyError('groupBy takes a function of (key, value, record) to the new key');
    }
    if (options?.key === undefined || options.value === undefined) {
      throw new TopologyError(
        'groupBy writes a repartition topic: it needs the serdes of the new key and of the value, groupBy(selector, { key: Serdes.string(), value: Serdes.json() })',
      );
    }
    const key = options.key as Serde<K2>;
    const value = options.value as Serde<V>;
    const repartitioned = (store: string): KStream<K2, V> => {
      const topic = `${store}-repartition`;
      this.pipe(
        mapKeysOperator<K, V, K2 | null>(selector, { name: options.name }),
        filterOperator<K2 | null, V>((k, v) => k !== null && k !== undefined && v !== null),
        internalTo(topic, { key, value } as SerdesRequired<K2 | null, V>),
      );
      const source = this.graph.attach(undefined, {
        _tag: 'Source',
        kind: 'SOURCE',
        topics: Object.freeze([topic]),
        key: key as Serde<unknown>,
        value: value as Serde<unknown>,
        internal: true,
      });
      return new KStream<K2, V>(this.graph, source);
    };
    return new KGroupedStream<K2, V>(this.graph, repartitioned, key);
  }

  /**
   * Joins each record with its key's value in `table` (a stream–table inner join): the
   * output is `joiner(value, tableValue, key, record)`, keyed as the record was. A record
   * whose key is null or absent from the table, or whose value is null, is dropped. The
   * table is read as it is when the record is processed; a table update joins nothing
   * (only stream records trigger). `table` must be kept in a store (`builder.table`, or an
   * aggregation), and its topic co-partitioned with this stream's (as many partitions,
   * keys placed alike): the runner checks the partitions and assigns partition N of both
   * to one instance, whose tasks of partition N share the table's store. Node `JOIN`.
   *
   * @example
   * const priced = orders.join(prices, (order, price) => ({ ...order, price }));
   */
  join<VT, VR>(
    table: KTable<K, VT> | KTable<NonNullable<K>, VT>,
    joiner: ValueJoiner<NonNullable<V>, NonNullable<VT>, K, VR>,
    options?: NodeOptions,
  ): KStream<K, VR> {
    return this.joinTable(
      'JOIN',
      table,
      joiner as ValueJoiner<NonNullable<V>, VT | null, K, VR>,
      options,
    );
  }

  /**
   * `join`, keeping every record with a value: one whose key is null or not in the table is
   * joined with `null` (`joiner(value, null, key, record)`). Node `LEFTJOIN`.
   *
   * @example
   * const priced = orders.leftJoin(prices, (order, price) => ({ ...order, price: price ?? 0 }));
   */
  leftJoin<VT, VR>(
    table: KTable<K, VT> | KTable<NonNullable<K>, VT>,
    joiner: ValueJoiner<NonNullable<V>, NonNullable<VT> | null, K, VR>,
    options?: NodeOptions,
  ): KStream<K, VR> {
    return this.joinTable(
      'LEFTJOIN',
      table,
      joiner as ValueJoiner<NonNullable<V>, VT | null, K, VR>,
      options,
    );
  }

  private joinTable<VT, VR>(
    kind: 'JOIN' | 'LEFTJOIN',
    table: KTable<K, VT> | KTable<NonNullable<K>, VT>,
    joiner: ValueJoiner<NonNullable<V>, VT | null, K, VR>,
    options: NodeOptions | undefined,
  ): KStream<K, VR> {
    const operation = kind === 'JOIN' ? 'join' : 'leftJoin';
    if (!(table instanceof KTable) || table.toStream().graph !== this.graph) {
      throw new TopologyError(
        `${operation} takes a KTable of the same builder (builder.table(topic, ...), or an aggregation)`,
      );
    }
    if (typeof joiner !== 'function') {
      throw new TopologyError(
        `${operation} takes a joiner: (value, tableValue, key, record) => joined`,
      );
    }
    const store = table.storeName;
    if (store === undefined) {
      throw new TopologyError(
        `${operation}: the table of node ${table.nodeName} is not kept in a store (a table derived with filter or mapValues is not); join the table it derives from, or builder.table(topic)`,
      );
    }
    return this.pipe(
      processOfKind(kind, joining<K, V, VT, VR>(store, joiner, kind === 'LEFTJOIN'), {
        name: options?.name,
        stores: [store],
      }),
    );
  }

  /**
   * Ends the stream with an action per record: `stream.pipe(forEach(fn, options))`.
   *
   * @example
   * stream.forEach((key, value) => console.log(key, value));
   */
  forEach(
    fn: (key: K, value: V, record: StreamRecord<K, V>) => void | Promise<void>,
    options?: NodeOptions,
  ): TerminalStream {
    return this.pipe(forEachOperator(fn, options));
  }

  private route(
    branchNode: GraphNode,
    label: string,
    predicate: BranchPredicate<K, V> | DefaultBranch,
    child: GraphNode,
  ): BranchRoute {
    if (predicate === DEFAULT_BRANCH) return { _tag: 'Default', label, child };
    if (typeof predicate !== 'function') {
      throw new TopologyError(
        `branch "${label}" of ${branchNode.name} is neither a predicate nor DEFAULT_BRANCH`,
      );
    }
    return {
      _tag: 'Predicate',
      label,
      child,
      matches: (record: StreamRecord<K, V>, context: RecordContext) =>
        predicate(record.key, record.value, record, context),
    };
  }
}
