import { TopologyError } from '../errors/topology-error';
import type { StoreDefinition } from '../state/stores';
import type { GraphNode, NodeSpec } from './graph-node';
import { generatedNodeName } from './node-name';

/**
 * The topology under construction, shared by a `StreamsBuilder` and its `KStream`s:
 * the sources, each with its tree of nodes, and the counter that names unnamed nodes
 * (a user-named node does not use up a number). Internal.
 *
 * @example
 * const graph = new TopologyGraph();
 * const source = graph.attach(undefined, sourceSpec); // SOURCE-0000000001
 */
export class TopologyGraph {
  private counter = 0;
  private readonly roots: GraphNode[] = [];
  private readonly storesByName = new Map<string, StoreDefinition<unknown, unknown>>();

  /** The state stores declared so far, by name. */
  get stores(): ReadonlyMap<string, StoreDefinition<unknown, unknown>> {
    return this.storesByName;
  }

  /** Declares a state store; a second one of the same name is refused. */
  addStore(store: StoreDefinition<unknown, unknown>): void {
    if (this.storesByName.has(store.name)) {
      throw new TopologyError(`a state store named "${store.name}" is declared already`);
    }
    this.storesByName.set(store.name, store);
  }

  /** The source nodes, in the order they were added. */
  get sources(): readonly GraphNode[] {
    return this.roots;
  }

  /** Adds a node below `parent` (a source when `parent` is undefined) and returns it. */
  attach(parent: GraphNode | undefined, spec: NodeSpec): GraphNode {
    const name = spec.name ?? generatedNodeName(spec.kind, ++this.counter);
    const node = { ...spec, name, children: [] } as GraphNode;
    (parent === undefined ? this.roots : parent.children).push(node);
    return node;
  }
}
