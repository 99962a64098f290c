import type { NodeDescription } from './node-description';

const heading = (node: NodeDescription): string => {
  switch (node._tag) {
    case 'Source':
      return `Source: ${node.name} (topics: [${node.topics.join(', ')}])`;
    case 'Sink':
      return `Sink: ${node.name} (topic: ${node.topic ?? '<chosen per record>'})`;
    case 'Processor':
      return `Processor: ${node.name} (kind: ${node.kind}${node.stores === undefined ? '' : `, stores: [${node.stores.join(', ')}]`})`;
  }
};

const nodeLines = (node: NodeDescription): string[] => {
  const lines = [`    ${heading(node)}`];
  if (node._tag !== 'Sink') {
    lines.push(`      --> ${node.children.length === 0 ? 'none' : node.children.join(', ')}`);
  }
  if (node._tag !== 'Source') lines.push(`      <-- ${node.parent}`);
  return lines;
};

/**
 * The topology as text, in the shape of Kafka Streams' `TopologyDescription`: one
 * sub-topology per source, each node with its children (`-->`) and parent (`<--`).
 * Internal: `Topology.describe()`.
 *
 * @example
 * describeTopology(topology.nodes);
 * // Topologies:
 * //    Sub-topology: 0
 * //     Source: SOURCE-0000000001 (topics: [orders])
 * //       --> SINK-0000000002
 * //     Sink: SINK-0000000002 (topic: copy)
 * //       <-- SOURCE-0000000001
 */
export const describeTopology = (nodes: readonly NodeDescription[]): string => {
  const lines = ['Topologies:'];
  let subTopology = 0;
  for (const node of nodes) {
    if (node._tag === 'Source') lines.push(`   Sub-topology: ${subTopology++}`);
    lines.push(...nodeLines(node));
  }
  return `${lines.join('\n')}\n`;
};
