import { allNodes, type GraphNode } from '../topology/graph-node';
import type { StoreDefinition } from './stores';

/**
 * What keeps a topology's state stores from running, one sentence per problem: a processor
 * connected to a store that is not declared. (A store used under the sources of several
 * topics is shared by their tasks of one partition number; that the topics have as many
 * partitions is checked when the run starts.) Internal: `StreamsBuilder.build()` reports
 * them with the others.
 *
 * @example
 * storeProblems(graph.sources, stores); // ['processor count uses state store "counts", which ...']
 */
export const storeProblems = (
  sources: readonly GraphNode[],
  stores: ReadonlyMap<string, StoreDefinition<unknown, unknown>>,
): string[] =>
  allNodes(sources).flatMap((node) =>
    node._tag !== 'Processor'
      ? []
      : (node.stores ?? [])
          .filter((name) => !stores.has(name))
          .map(
            (name) =>
              `processor ${node.name} uses state store "${name}", which is not declared: add builder.addStateStore(Stores.keyValueStore('${name}', { key, value }))`,
          ),
  );
