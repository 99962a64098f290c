import type { BranchRoute, GraphNode } from './graph-node';

const copyNode = (node: GraphNode): GraphNode => {
  const children = node.children.map(copyNode);
  const copyOf = new Map(node.children.map((child, i) => [child, children[i] ?? child]));
  Object.freeze(children);
  if (node._tag !== 'Branch') return Object.freeze({ ...node, children });
  const routes: readonly BranchRoute[] = Object.freeze(
    node.routes.map((route) =>
      Object.freeze({ ...route, child: copyOf.get(route.child) ?? route.child }),
    ),
  );
  return Object.freeze({ ...node, children, routes });
};

/**
 * A deep, frozen copy of the sources and their trees, so a built Topology does not change
 * when its builder goes on. Internal.
 *
 * @example
 * const roots = frozenGraph(graph.sources);
 */
export const frozenGraph = (sources: readonly GraphNode[]): readonly GraphNode[] =>
  Object.freeze(sources.map(copyNode));
