import type { BranchRoute, GraphNode } from './graph-node';

/** What a copy changes in one node (its children are copied apart): nothing by default. */
export type NodeRewrite = (node: GraphNode) => GraphNode;

const copyNode = (node: GraphNode, rewrite: NodeRewrite): GraphNode => {
  const children = node.children.map((child) => copyNode(child, rewrite));
  const copyOf = new Map(node.children.map((child, i) => [child, children[i] ?? child]));
  Object.freeze(children);
  const own = rewrite(node);
  if (own._tag !== 'Branch') return Object.freeze({ ...own, children });
  const routes: readonly BranchRoute[] = Object.freeze(
    own.routes.map((route) =>
      Object.freeze({ ...route, child: copyOf.get(route.child) ?? route.child }),
    ),
  );
  return Object.freeze({ ...own, children, routes });
};

/**
 * A deep, frozen copy of the sources and their trees, so a built Topology does not change
 * when its builder goes on; `rewrite` may change each node on the way (the internal topics'
 * names, `Topology.forApplication`). Internal.
 *
 * @example
 * const roots = frozenGraph(graph.sources);
 */
export const frozenGraph = (
  sources: readonly GraphNode[],
  rewrite: NodeRewrite = (node) => node,
): readonly GraphNode[] => Object.freeze(sources.map((source) => copyNode(source, rewrite)));
