import type { GraphNode } from './graph-node';
import type { NodeDescription } from './node-description';

const describeNode = (node: GraphNode, parent: string | undefined): NodeDescription => {
  const children = Object.freeze(node.children.map((child) => child.name));
  if (node._tag === 'Source') {
    return { _tag: 'Source', name: node.name, kind: 'SOURCE', topics: node.topics, children };
  }
  if (node._tag === 'Sink') {
    return { _tag: 'Sink', name: node.name, kind: 'SINK', topic: node.topic, parent: parent ?? '' };
  }
  const stores = node._tag === 'Processor' ? node.stores : undefined;
  return {
    _tag: 'Processor',
    name: node.name,
    kind: node.kind,
    parent: parent ?? '',
    children,
    ...(stores === undefined || stores.length === 0 ? {} : { stores }),
  };
};

/**
 * The public view of every node: each source followed by its tree, parents before
 * children, children in order. Internal: `Topology.nodes`.
 *
 * @example
 * describeNodes(roots)[0]; // { _tag: 'Source', name: 'SOURCE-0000000001', topics: ['orders'], ... }
 */
export const describeNodes = (sources: readonly GraphNode[]): readonly NodeDescription[] => {
  const out: NodeDescription[] = [];
  const visit = (node: GraphNode, parent: string | undefined): void => {
    out.push(Object.freeze(describeNode(node, parent)));
    node.children.forEach((child) => visit(child, node.name));
  };
  sources.forEach((source) => visit(source, undefined));
  return Object.freeze(out);
};
