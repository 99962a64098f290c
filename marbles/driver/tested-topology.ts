import type { NodeDescription } from '../../lib/topology/node-description';
import type { RunnableTopology } from '../../lib/topology/topology-task';

/**
 * What the marble driver runs: any topology a runner runs. A `Topology` (from
 * `StreamsBuilder.build()`) also tells the driver its sinks' topics and its nodes, so that
 * `expectOutput` on a topic it never writes fails, and a record stuck on a Promise names
 * the nodes that may have returned it; a hand-made topology without them gets plainer
 * messages.
 *
 * @example
 * const topology: TestedTopology = new StreamsBuilder().build();
 */
export type TestedTopology = RunnableTopology & {
  /** Every topic a sink writes to by name (see `Topology.sinkTopics`). */
  readonly sinkTopics?: readonly string[] | undefined;
  /** Every node (see `Topology.nodes`). */
  readonly nodes?: readonly NodeDescription[] | undefined;
};
