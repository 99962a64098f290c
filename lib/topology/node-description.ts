import type { NodeKind } from './node-kind';

/**
 * A source node: the topics it reads and the nodes it feeds.
 *
 * @example
 * const source = topology.nodes.find((n): n is SourceDescription => n._tag === 'Source');
 */
export interface SourceDescription {
  readonly _tag: 'Source';
  readonly name: string;
  readonly kind: 'SOURCE';
  readonly topics: readonly string[];
  readonly children: readonly string[];
}

/**
 * A node between a source and the terminals (a `forEach` is one with no children).
 *
 * @example
 * topology.nodes.filter((n): n is ProcessorDescription => n._tag === 'Processor');
 */
export interface ProcessorDescription {
  readonly _tag: 'Processor';
  readonly name: string;
  readonly kind: NodeKind;
  /** The state stores it is connected to (none for most nodes). */
  readonly stores?: readonly string[] | undefined;
  readonly parent: string;
  readonly children: readonly string[];
}

/**
 * A sink node: the topic it writes to (undefined when a function picks it per record).
 *
 * @example
 * topology.nodes.flatMap((n) => (n._tag === 'Sink' ? [n.topic] : []));
 */
export interface SinkDescription {
  readonly _tag: 'Sink';
  readonly name: string;
  readonly kind: 'SINK';
  readonly topic: string | undefined;
  readonly parent: string;
}

/**
 * One node of a built topology, as `Topology.nodes` lists it, named after Kafka Streams'
 * TopologyDescription: sources, processors and sinks.
 *
 * @example
 * topology.nodes.filter((n) => n._tag === 'Sink').map((n) => n.name); // ['SINK-0000000003']
 */
export type NodeDescription = SourceDescription | ProcessorDescription | SinkDescription;
