import type { NodeKind } from './node-kind';

/**
 * The name a node gets when the user gives none: its kind and the builder's counter,
 * zero-padded to ten digits, as Kafka Streams names its nodes.
 *
 * @example
 * generatedNodeName('FILTER', 2); // 'FILTER-0000000002'
 */
export const generatedNodeName = (kind: NodeKind, index: number): string =>
  `${kind}-${String(index).padStart(10, '0')}`;
