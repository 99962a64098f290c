import * as A from 'fp-ts/lib/Array.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import { topicNameProblem } from '../kafka/topic-name';
import { allNodes, type GraphNode } from './graph-node';
import { messageOf } from '../errors/message-of';

/** A problem when `found` holds, none otherwise. */
const problemIf = (found: boolean, problem: () => string): O.Option<string> =>
  found ? O.some(problem()) : O.none;

const describeValue = (value: unknown): string =>
  value === null || typeof value !== 'object' ? String(value) : 'an object';

const nameProblems = (nodes: readonly GraphNode[]): string[] => {
  const problems: string[] = [];
  const kindsByName = new Map<string, string[]>();
  for (const node of nodes) {
    if (typeof node.name !== 'string' || node.name.trim() === '') {
      problems.push(`a ${node.kind} node has an empty name (${JSON.stringify(node.name)})`);
      continue;
    }
    kindsByName.set(node.name, [...(kindsByName.get(node.name) ?? []), node.kind]);
  }
  for (const [name, kinds] of kindsByName) {
    if (kinds.length > 1) {
      problems.push(
        `${kinds.length} nodes are named "${name}" (${kinds.join(', ')}); node names must be unique`,
      );
    }
  }
  return problems;
};

const sourceTopicProblems = (sources: readonly GraphNode[]): string[] => {
  const problems: string[] = [];
  const readers = new Map<string, string>();
  for (const source of sources) {
    if (source._tag !== 'Source') continue;
    if (source.topics.length === 0) problems.push(`source ${source.name} has no topics`);
    for (const topic of source.topics) {
      if (typeof topic !== 'string' || topic === '') {
        problems.push(`source ${source.name} has an empty topic name (${JSON.stringify(topic)})`);
        continue;
      }
      const illegal = topicNameProblem(topic);
      if (O.isSome(illegal)) {
        problems.push(`source ${source.name} reads topic "${topic}", which ${illegal.value}`);
        continue;
      }
      const reader = readers.get(topic);
      if (reader === source.name)
        problems.push(`source ${source.name} lists topic "${topic}" twice`);
      else if (reader !== undefined) {
        problems.push(`topic "${topic}" is read by two sources: ${reader} and ${source.name}`);
      } else readers.set(topic, source.name);
    }
  }
  return problems;
};

const isProcessor = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { process?: unknown }).process === 'function';

const supplierProblem = (node: GraphNode & { _tag: 'Processor' }): O.Option<string> => {
  let first: unknown;
  let second: unknown;
  try {
    first = node.supplier();
    second = node.supplier();
  } catch (error) {
    return O.some(`the process supplier of ${node.name} threw: ${messageOf(error)}`);
  }
  if (!isProcessor(first) || !isProcessor(second)) {
    return O.some(
      `the process supplier of ${node.name} returned ${describeValue(first)}, not a processor with a process() method`,
    );
  }
  return problemIf(
    first === second,
    () =>
      `the process supplier of ${node.name} returned the same processor instance twice; it must return a new one on every call (one per task)`,
  );
};

const leafProblem = (node: GraphNode): O.Option<string> =>
  problemIf(
    node.children.length === 0,
    () =>
      `node ${node.name} (${node.kind}) ends a stream without a terminal: pipe it into to(...) or forEach(...)`,
  );

const TABLE_KINDS: ReadonlySet<string> = new Set(['TABLE', 'AGGREGATE', 'REDUCE']);

const nodeProblems = (node: GraphNode): O.Option<string>[] => {
  switch (node._tag) {
    case 'Source':
    case 'Step':
    case 'BranchChild':
      return [leafProblem(node)];
    case 'Processor':
      // A table (a table's source, an aggregation) may end a stream: its store is what it
      // makes, read by joins and interactive queries.
      return [supplierProblem(node), TABLE_KINDS.has(node.kind) ? O.none : leafProblem(node)];
    case 'Branch': {
      const defaults = node.routes.filter((route) => route._tag === 'Default');
      return [
        problemIf(node.routes.length === 0, () => `branch node ${node.name} has no branches`),
        problemIf(
          defaults.length > 1,
          () =>
            `branch node ${node.name} has ${defaults.length} DEFAULT_BRANCH branches (${defaults
              .map((route) => route.label)
              .join(', ')}); it may have one`,
        ),
      ];
    }
    case 'Sink':
      return [
        node.topic === ''
          ? O.some(`sink ${node.name} has an empty topic name`)
          : pipe(
              O.fromNullable(node.topic),
              O.chain(topicNameProblem),
              O.map(
                (problem) => `sink ${node.name} writes topic "${node.topic}", which ${problem}`,
              ),
            ),
      ];
    case 'ForEach':
      return [];
  }
};

/**
 * Everything that keeps a topology from running, one sentence per problem, each naming
 * its node. Empty when the topology is sound. Calls each process supplier twice.
 * Internal: `StreamsBuilder.build()` turns the list into a TopologyError.
 *
 * @example
 * topologyProblems(graph.sources); // ['branch node BRANCH-0000000002 has no branches']
 */
export const topologyProblems = (sources: readonly GraphNode[]): string[] => {
  if (sources.length === 0)
    return ['the topology has no source: add one with builder.stream(topic)'];
  const nodes = allNodes(sources);
  const perNode = A.compact(nodes.flatMap(nodeProblems));
  return [...nameProblems(nodes), ...sourceTopicProblems(sources), ...perNode];
};
