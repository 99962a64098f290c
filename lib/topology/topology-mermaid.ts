import type { GraphNode } from './graph-node';

const quoted = (text: string): string => `"${text.replace(/"/g, '#quot;')}"`;

const label = (node: GraphNode): string =>
  node.name.startsWith(`${node.kind}-`) ? node.name : `${node.name}<br/>${node.kind}`;

const shape = (node: GraphNode): string => {
  const text = quoted(label(node));
  switch (node._tag) {
    case 'Source':
    case 'Sink':
      return `([${text}])`;
    case 'Branch':
      return `{${text}}`;
    default:
      return `[${text}]`;
  }
};

const edgeLabel = (parent: GraphNode, child: GraphNode): string =>
  parent._tag === 'Branch' && child._tag === 'BranchChild' ? `|${quoted(child.label)}|` : '';

/**
 * The topology as a Mermaid flowchart (`graph TD`): topics as cylinders, sources and
 * sinks as stadiums, branch nodes as rhombi, branch edges labelled with the branch name.
 * Internal: `Topology.toMermaid()`.
 *
 * @example
 * topologyMermaid(roots);
 * // graph TD
 * //   t0[("orders")]
 * //   n0(["SOURCE-0000000001"])
 * //   ...
 */
export const topologyMermaid = (sources: readonly GraphNode[]): string => {
  const declarations: string[] = [];
  const edges: string[] = [];
  const topicIds = new Map<string, string>();
  const topicId = (topic: string): string => {
    let id = topicIds.get(topic);
    if (id === undefined) {
      id = `t${topicIds.size}`;
      topicIds.set(topic, id);
      declarations.push(`  ${id}[(${quoted(topic)})]`);
    }
    return id;
  };
  let counter = 0;
  const visit = (node: GraphNode): void => {
    const id = `n${counter++}`;
    declarations.push(`  ${id}${shape(node)}`);
    if (node._tag === 'Source') node.topics.forEach((t) => edges.push(`  ${topicId(t)} --> ${id}`));
    if (node._tag === 'Sink' && node.topic !== undefined) {
      edges.push(`  ${id} --> ${topicId(node.topic)}`);
    }
    for (const child of node.children) {
      edges.push(`  ${id} -->${edgeLabel(node, child)} n${counter}`); // visit(child) takes this id
      visit(child);
    }
  };
  sources.forEach(visit);
  return `${['graph TD', ...declarations, ...edges].join('\n')}\n`;
};
