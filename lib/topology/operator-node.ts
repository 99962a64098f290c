import type { ProducerRecord } from '../kafka/client';
import type { Eventual, Records } from './eventual';
import type { ProcessorSupplier } from './processor';
import type { StreamRecord } from '../record/stream-record';
import type { NodeKind } from './node-kind';
import type { RecordContext } from './record-context';

/**
 * The kinds of processor node: `process()`'s, and those of the DSL's stateful operations
 * (`count`/`aggregate`, `reduce`, a table's source, a stream–table `join`/`leftJoin`).
 *
 * @example
 * const kind: ProcessorKind = 'AGGREGATE';
 */
export type ProcessorKind = 'PROCESSOR' | 'AGGREGATE' | 'REDUCE' | 'TABLE' | 'JOIN' | 'LEFTJOIN';

/**
 * The kinds of node that transform each record on its own, with no per-task state.
 *
 * @example
 * const kind: StepKind = 'FLATMAPVALUES';
 */
export type StepKind = Exclude<
  NodeKind,
  'SOURCE' | ProcessorKind | 'BRANCH' | 'BRANCHCHILD' | 'SINK' | 'FOREACH'
>;

/**
 * What a stateless operator (filter, map, ...) adds to a topology: a function from one
 * record to the records it becomes, as an array when the user's callback returned a plain
 * value and as an Observable when it returned a Promise. The topology runs `step` per
 * record; the operator's RxJS form is `concatMap(step)`.
 *
 * Methods (not function-valued properties) on purpose: their parameters are bivariant, so a
 * node typed for `StreamRecord<string, Order>` can be stored as a node over `unknown`.
 *
 * @example
 * const node: StepNode<string, number, string, number> = {
 *   _tag: 'Step', kind: 'FILTER', step: (r) => (r.value > 0 ? [r] : []),
 * };
 */
export interface StepNode<K, V, K2, V2> {
  readonly _tag: 'Step';
  readonly kind: StepKind;
  /** The name the user gave, if any. */
  readonly name?: string | undefined;
  /**
   * What `record` becomes. Throws what the user's callback threw; the Observable (an async
   * callback) errors with what it rejected with.
   */
  step(record: StreamRecord<K, V>, context: RecordContext): Records<StreamRecord<K2, V2>>;
}

/**
 * What `process(supplier)` adds to a topology: the supplier, called once per task.
 *
 * @example
 * const node: ProcessorNode<string, number, string, number> = {
 *   _tag: 'Processor', kind: 'PROCESSOR', supplier: () => ({ process: () => undefined }),
 * };
 */
export interface ProcessorNode<K, V, K2, V2> {
  readonly _tag: 'Processor';
  /** `PROCESSOR` for `process()`; the DSL's stateful nodes are processors of their own kinds. */
  readonly kind: ProcessorKind;
  readonly name?: string | undefined;
  readonly supplier: ProcessorSupplier<K, V, K2, V2>;
  /** The state stores its processors use (`context.stateStore(name)`), declared on the builder. */
  readonly stores?: readonly string[] | undefined;
}

/**
 * What `to(topic)` adds to a topology: it turns a record into the producer record to
 * send (topic chosen, key and value serialized, headers and timestamp kept).
 *
 * @example
 * const node = to<string, string>('out', { key: Serdes.string(), value: Serdes.string() }).node; // a SinkNode
 */
export interface SinkNode<K, V> {
  readonly _tag: 'Sink';
  readonly kind: 'SINK';
  readonly name?: string | undefined;
  /** The topic, when it is the same for every record; undefined when chosen per record. */
  readonly topic: string | undefined;
  /**
   * The record to send: now, or later (an Observable) when the topic extractor returned a
   * Promise. Throws (or errors with) a located SerdeError when a serde fails, or what the
   * topic extractor threw.
   */
  producerRecord(
    record: StreamRecord<K, V>,
    nodeName: string | undefined,
  ): Eventual<ProducerRecord>;
  /**
   * Set on the sink of an internal topic (a repartition topic), whose `topic` is the name
   * without the application's prefix: the same sink writing to the named topic.
   */
  readonly internal?: { at(topic: string): SinkNode<K, V> } | undefined;
}

/**
 * What `forEach(fn)` adds to a topology: an action per record that emits nothing.
 *
 * @example
 * const node = forEach<string, number>((_k, v) => console.log(v)).node; // a ForEachNode
 */
export interface ForEachNode<K, V> {
  readonly _tag: 'ForEach';
  readonly kind: 'FOREACH';
  readonly name?: string | undefined;
  /**
   * Runs the action: done on return, or when the Observable completes (an async action).
   * Throws (or errors with) what the action threw.
   */
  run(record: StreamRecord<K, V>, context: RecordContext): Eventual<void>;
}

/**
 * The node an operator that passes records on carries.
 *
 * @example
 * const node: OperatorNode<string, number, string, number> = filter<string, number>(() => true).node;
 */
export type OperatorNode<K, V, K2, V2> = StepNode<K, V, K2, V2> | ProcessorNode<K, V, K2, V2>;

/**
 * The node a terminal operator (`to`, `forEach`) carries: nothing can come after it.
 *
 * @example
 * const node: TerminalNode<string, number> = to<string, number>('out', {
 *   key: Serdes.string(),
 *   value: Serdes.json<number>(),
 * }).node;
 */
export type TerminalNode<K, V> = SinkNode<K, V> | ForEachNode<K, V>;
