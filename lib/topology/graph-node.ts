import type { StreamRecord } from '../record/stream-record';
import type { Serde } from '../serde/serde';
import type { OperatorNode, TerminalNode } from './operator-node';
import type { RecordContext } from './record-context';

type AnyRecord = StreamRecord<unknown, unknown>;

/**
 * A source: deserializes the records of its topics.
 *
 * @example
 * const spec: SourceSpec = { _tag: 'Source', kind: 'SOURCE', topics: ['orders'], key, value };
 */
export interface SourceSpec {
  readonly _tag: 'Source';
  readonly kind: 'SOURCE';
  readonly topics: readonly string[];
  readonly key: Serde<unknown>;
  readonly value: Serde<unknown>;
  /**
   * Set on the source of an internal topic (a repartition topic): `topics` holds the name
   * without the application's prefix, which `Topology.forApplication` adds.
   */
  readonly internal?: true | undefined;
}

/**
 * One branch of a branch node: a predicate, or the default that takes what no predicate took.
 *
 * @example
 * const route: BranchRoute = { _tag: 'Default', label: 'other', child };
 */
export type BranchRoute =
  | {
      readonly _tag: 'Predicate';
      readonly label: string;
      readonly child: GraphNode;
      /** The user's predicate: a boolean, or a Promise of one. */
      matches(record: AnyRecord, context: RecordContext): boolean | PromiseLike<boolean>;
    }
  | { readonly _tag: 'Default'; readonly label: string; readonly child: GraphNode };

/**
 * `KStream.branch(...)`: sends each record to the first branch whose predicate holds.
 *
 * @example
 * const spec: BranchSpec = { _tag: 'Branch', kind: 'BRANCH', routes: [] };
 */
export interface BranchSpec {
  readonly _tag: 'Branch';
  readonly kind: 'BRANCH';
  readonly routes: readonly BranchRoute[];
}

/**
 * The stream of one branch: passes what the branch node sends it to its children.
 *
 * @example
 * const spec: BranchChildSpec = { _tag: 'BranchChild', kind: 'BRANCHCHILD', label: 'eu' };
 */
export interface BranchChildSpec {
  readonly _tag: 'BranchChild';
  readonly kind: 'BRANCHCHILD';
  readonly label: string;
}

/**
 * A node as an operator or the builder describes it, before it has its final name.
 *
 * @example
 * graph.attach(parent, filter(() => true).node); // a NodeSpec
 */
export type NodeSpec = (
  | SourceSpec
  | OperatorNode<unknown, unknown, unknown, unknown>
  | TerminalNode<unknown, unknown>
  | BranchSpec
  | BranchChildSpec
) & { readonly name?: string | undefined };

/**
 * A node of a topology as the builder records it (internal: the public view is
 * `NodeDescription`). `children` grows while the topology is built; `Topology` keeps a
 * frozen copy.
 *
 * @example
 * const source: GraphNode = graph.attach(undefined, sourceSpec);
 */
export type GraphNode = NodeSpec & { readonly name: string; readonly children: GraphNode[] };

/**
 * Every node reachable from `roots`, parents before children, children in order.
 *
 * @example
 * allNodes(graph.sources).map((node) => node.name);
 */
export const allNodes = (roots: readonly GraphNode[]): GraphNode[] => {
  const out: GraphNode[] = [];
  const visit = (node: GraphNode): void => {
    out.push(node);
    node.children.forEach(visit);
  };
  roots.forEach(visit);
  return out;
};
