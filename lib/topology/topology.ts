import { noopLogger } from '../logger/logger';
import { describeNodes } from './describe-nodes';
import { describeTopology } from './describe-topology';
import { frozenGraph } from './frozen-graph';
import type { GraphNode } from './graph-node';
import type { NodeDescription } from './node-description';
import { type StoreUse, TopologyInstance } from './topology-instance';
import { topologyMermaid } from './topology-mermaid';
import type { CreateTaskOptions, RunnableTopology, TaskInfo } from './topology-task';
import type { StoreDefinition } from '../state/stores';
import { allNodes } from './graph-node';
import { internalTopicsOf, namingInternalTopics } from './internal-topics';

export type { CreateTaskOptions } from './topology-task';

/** Groups of topics merged where they overlap: topics linked through any store are one group. */
const coPartitionGroups = (sets: readonly (readonly string[])[]): string[][] => {
  const groups: Set<string>[] = [];
  for (const topics of sets) {
    const touching = groups.filter((group) => topics.some((topic) => group.has(topic)));
    const merged = new Set([...topics, ...touching.flatMap((group) => [...group])]);
    for (const group of touching) groups.splice(groups.indexOf(group), 1);
    groups.push(merged);
  }
  return groups.map((group) => Object.freeze([...group]) as string[]);
};

/**
 * A checked, immutable topology, made by `StreamsBuilder.build()`: what a runner runs.
 *
 * @example
 * const topology = builder.build();
 * console.log(topology.describe());
 * topology.sourceTopics; // ['orders']
 * const task = topology.createTask({ id: 'orders:0', topic: 'orders', partition: 0 });
 */
export class Topology implements RunnableTopology {
  /** Every topic a source reads, in the order the sources were added. */
  readonly sourceTopics: readonly string[];
  /** Every topic a sink writes to by name (not those a function picks per record). */
  readonly sinkTopics: readonly string[];
  /** Every node: each source followed by its tree, parents before children. */
  readonly nodes: readonly NodeDescription[];
  /** The state stores declared on the builder (`builder.addStateStore`). */
  readonly stateStores: readonly StoreDefinition<unknown, unknown>[];
  /**
   * The repartition topics the topology writes and reads again (`groupBy`): named
   * `<store>-repartition` here, `<applicationId>-<store>-repartition` in the topology
   * `forApplication(applicationId)` returns, which is what runners run.
   */
  readonly repartitionTopics: readonly string[];
  /** The application the internal topics are named after, once `forApplication` named them. */
  readonly applicationId: string | undefined;
  private readonly roots: readonly GraphNode[];
  /** The stores each source topic's tasks use: those of the processors below its source. */
  private readonly storesByTopic = new Map<string, StoreUse[]>();
  /**
   * The topics whose tasks share stores, one group per set (a table and the streams joined
   * with it): co-partitioned, so partition N of each is assigned to one instance together.
   */
  readonly coPartitionedTopics: readonly (readonly string[])[];
  private named: Topology | undefined;

  /** @internal Made by `StreamsBuilder.build()`, which checks the graph first. */
  constructor(
    sources: readonly GraphNode[],
    stores: readonly StoreDefinition<unknown, unknown>[] = [],
    applicationId?: string,
  ) {
    this.stateStores = Object.freeze([...stores]);
    this.applicationId = applicationId;
    this.roots =
      applicationId === undefined
        ? frozenGraph(sources)
        : frozenGraph(sources, namingInternalTopics(applicationId));
    this.repartitionTopics = internalTopicsOf(this.roots);
    const byName = new Map(stores.map((store) => [store.name, store]));
    const topicsOf = new Map<string, string[]>();
    const usedBy = new Map<string, string[]>();
    for (const source of this.roots) {
      if (source._tag !== 'Source') continue;
      const used = new Set(
        allNodes([source]).flatMap((node) =>
          node._tag === 'Processor' ? (node.stores ?? []) : [],
        ),
      );
      for (const topic of source.topics) {
        usedBy.set(topic, [...used]);
        for (const name of used) topicsOf.set(name, [...(topicsOf.get(name) ?? []), topic]);
      }
    }
    for (const [topic, names] of usedBy) {
      this.storesByTopic.set(
        topic,
        names.flatMap((name) => {
          const definition = byName.get(name);
          const home = topicsOf.get(name)?.[0] ?? topic;
          return definition === undefined ? [] : [{ definition, home }];
        }),
      );
    }
    this.coPartitionedTopics = Object.freeze(
      coPartitionGroups([...topicsOf.values()].filter((topics) => topics.length > 1)),
    );
    this.nodes = describeNodes(this.roots);
    this.sourceTopics = Object.freeze(
      this.nodes.flatMap((n) => (n._tag === 'Source' ? n.topics : [])),
    );
    const sinks = this.nodes.flatMap((n) =>
      n._tag === 'Sink' && n.topic !== undefined ? [n.topic] : [],
    );
    this.sinkTopics = Object.freeze([...new Set(sinks)]);
  }

  /**
   * The topology as text, shaped like Kafka Streams' `TopologyDescription`.
   *
   * @example
   * console.log(topology.describe());
   * // Topologies:
   * //    Sub-topology: 0
   * //     Source: SOURCE-0000000001 (topics: [orders])
   * //       --> FILTER-0000000002
   * //     Processor: FILTER-0000000002 (kind: FILTER)
   * //       --> SINK-0000000003
   * //       <-- SOURCE-0000000001
   * //     Sink: SINK-0000000003 (topic: big-orders)
   * //       <-- FILTER-0000000002
   */
  describe(): string {
    return describeTopology(this.nodes);
  }

  /**
   * The topology as a Mermaid flowchart (`graph TD ...`), for docs and pull requests.
   *
   * @example
   * fs.writeFileSync('topology.mmd', topology.toMermaid());
   */
  toMermaid(): string {
    return topologyMermaid(this.roots);
  }

  /** The same as `describe()`. */
  toString(): string {
    return this.describe();
  }

  /**
   * A fresh instance of the topology for one task (one input partition): the source of the
   * task's topic and the nodes below it, each of their process suppliers called once and
   * each processor's `init` run before this returns, with the stores those processors use
   * (shared through `options.storePool` with the tasks of the same partition number of
   * other topics, as a join's table and stream share theirs). A topology with repartition
   * topics needs `options.applicationId`, which names them.
   *
   * @example
   * const task = topology.createTask({ id: 'orders:0', topic: 'orders', partition: 0 });
   * task.process(raw, { send: (record) => producer.send(record) }).subscribe();
   */
  createTask(info: TaskInfo, options?: CreateTaskOptions): TopologyInstance {
    const applicationId = options?.applicationId;
    if (this.repartitionTopics.length > 0 && this.applicationId === undefined) {
      if (applicationId === undefined) {
        throw new Error(
          `the topology has repartition topics (${this.repartitionTopics.join(', ')}), named after the application: createTask(info, { applicationId })`,
        );
      }
      return this.forApplication(applicationId).createTask(info, options);
    }
    if (this.applicationId !== undefined && applicationId !== this.applicationId) {
      throw new Error(
        `this topology's internal topics are named after application ${this.applicationId}: createTask(info, { applicationId: '${this.applicationId}' })`,
      );
    }
    return new TopologyInstance(this.roots, info, {
      logger: options?.logger ?? noopLogger,
      stores: this.storesByTopic.get(info.topic) ?? [],
      applicationId,
      pool: options?.storePool,
      changes: options?.storeChanges,
    });
  }

  /**
   * The topology as application `applicationId` runs it: its internal topics named after it
   * (`<applicationId>-<store>-repartition`); this topology when it has none. Runners call it.
   *
   * @example
   * topology.forApplication('word-count').sourceTopics; // ['sentences', 'word-count-counts-repartition']
   */
  forApplication(applicationId: string): Topology {
    if (this.repartitionTopics.length === 0) return this;
    if (this.applicationId !== undefined) {
      if (applicationId === this.applicationId) return this;
      throw new Error(
        `this topology's internal topics are named after application ${this.applicationId}, not ${applicationId}: call forApplication on the topology build() returned`,
      );
    }
    if (this.named?.applicationId !== applicationId) {
      this.named = new Topology(this.roots, this.stateStores, applicationId);
    }
    return this.named;
  }
}
