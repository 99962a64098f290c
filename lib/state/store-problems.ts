import { allNodes, type GraphNode } from '../topology/graph-node';
import type { StoreDefinition } from './stores';

/**
 * What keeps a topology's state stores from running, one sentence per problem: a processor
 * connected to a store that is not declared, and a store whose processors read more than one
 * source topic (a task serves one topic-partition, and a store's changelog follows that
 * topic's partitions). Internal: `StreamsBuilder.build()` reports them with the others.
 *
 * @example
 * storeProblems(graph.sources, stores); // ['processor count uses state store "counts", which ...']
 */
export const storeProblems = (
  sources: readonly GraphNode[],
  stores: ReadonlyMap<string, StoreDefinition<unknown, unknown>>,
): string[] => {
  const problems: string[] = [];
  const topicsOf = new Map<string, Set<string>>();
  for (const source of sources) {
    if (source._tag !== 'Source') continue;
    for (const node of allNodes([source])) {
      if (node._tag !== 'Processor') continue;
      for (const name of node.stores ?? []) {
        if (!stores.has(name)) {
          problems.push(
            `processor ${node.name} uses state store "${name}", which is not declared: add builder.addStateStore(Stores.keyValueStore('${name}', { key, value }))`,
          );
          continue;
        }
        const topics = topicsOf.get(name) ?? new Set<string>();
        source.topics.forEach((topic) => topics.add(topic));
        topicsOf.set(name, topics);
      }
    }
  }
  for (const [name, topics] of topicsOf) {
    if (topics.size > 1) {
      problems.push(
        `state store "${name}" is used by processors reading topics ${[...topics].join(', ')}; a store's tasks follow the partitions of one source topic: use it under a source of one topic`,
      );
    }
  }
  return problems;
};
