import { allNodes, type GraphNode } from './graph-node';
import type { NodeRewrite } from './frozen-graph';

/**
 * The topic an application's internal topic `name` is (`<applicationId>-<name>`): a
 * repartition topic `<applicationId>-<store>-repartition`, as Kafka Streams names them.
 *
 * @example
 * internalTopicName('word-count', 'counts-repartition'); // 'word-count-counts-repartition'
 */
export const internalTopicName = (applicationId: string, name: string): string =>
  `${applicationId}-${name}`;

/** The names (without the application's prefix) of the internal topics sources read. */
export const internalTopicsOf = (roots: readonly GraphNode[]): readonly string[] =>
  Object.freeze(
    allNodes(roots).flatMap((node) =>
      node._tag === 'Source' && node.internal === true ? node.topics : [],
    ),
  );

/**
 * The rewrite that gives the internal topics' sources and sinks the application's names
 * (they stay marked internal). Internal: `Topology.forApplication`, which names them once.
 */
export const namingInternalTopics =
  (applicationId: string): NodeRewrite =>
  (node) => {
    if (node._tag === 'Source' && node.internal === true) {
      const topics = node.topics.map((topic) => internalTopicName(applicationId, topic));
      return { ...node, topics };
    }
    if (node._tag === 'Sink' && node.internal !== undefined && node.topic !== undefined) {
      const named = node.internal.at(internalTopicName(applicationId, node.topic));
      return { ...node, ...named, name: node.name };
    }
    return node;
  };
