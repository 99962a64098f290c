import type { ErrorPhase } from '../../lib/errors/phase';
import { describeLocation } from '../../lib/errors/record-location';
import type { RawRecord } from '../../lib/record/stream-record';
import type { NodeDescription } from '../../lib/topology/node-description';
import type { TestedTopology } from './tested-topology';
import { TopologyTestError } from './topology-test-error';

/**
 * What was left running when virtual time ran out: the records in process, how many
 * records' lives still ran (more, when a record was stuck after its processing), and the
 * phases whose error handler returned a Promise.
 *
 * @example
 * const left: LeftRunning = { inProcess: [raw], running: 1, asyncHandlers: [] };
 */
export interface LeftRunning {
  readonly inProcess: readonly RawRecord[];
  readonly running: number;
  readonly asyncHandlers: readonly ErrorPhase[];
}

/** Whether a node runs a user callback that may return a Promise. */
const callsBack = (node: NodeDescription): boolean =>
  node._tag === 'Processor'
    ? node.kind !== 'BRANCHCHILD'
    : node._tag === 'Sink' && node.topic === undefined;

/** The nodes under the sources of `topic` whose callback may return a Promise, in order. */
const suspects = (nodes: readonly NodeDescription[], topic: string): string[] => {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const below = new Set<string>();
  const visit = (name: string): void => {
    const node = byName.get(name);
    if (node === undefined || below.has(name)) return;
    below.add(name);
    if (node._tag !== 'Sink') node.children.forEach(visit);
  };
  for (const node of nodes) {
    if (node._tag === 'Source' && node.topics.includes(topic)) node.children.forEach(visit);
  }
  return nodes.filter((node) => below.has(node.name) && callsBack(node)).map((node) => node.name);
};

/** What returned the Promise, and how to do without it. */
const culprit = (topology: TestedTopology, left: LeftRunning): { what: string; fix: string } => {
  if (left.asyncHandlers.length > 0) {
    return {
      what: `the ${left.asyncHandlers.join(' and ')} error handler returned a Promise`,
      fix: 'Return the Action itself (the delay of Action.retry(ms) runs in virtual time)',
    };
  }
  const topics = new Set(left.inProcess.map((r) => r.topic));
  const names = [...new Set([...topics].flatMap((topic) => suspects(topology.nodes ?? [], topic)))];
  const which =
    names.length === 0
      ? 'a callback'
      : names.length === 1
        ? `the callback of ${names[0]}`
        : `the callback of one of ${names.join(', ')}`;
  return {
    what: `${which} returned a Promise (or never finished)`,
    fix: 'Make the callback synchronous or delay with RxJS operators (they run in virtual time)',
  };
};

const records = (left: LeftRunning): string => {
  const where = left.inProcess.map((r) => describeLocation(r));
  if (left.running === 1 && where.length === 1) return `the record at ${where[0]} was`;
  const count = Math.max(left.running, where.length);
  return `${count} records${where.length === 0 ? '' : ` (at ${where.join('; ')})`} were`;
};

/**
 * The TopologyTestError of records still in process when virtual time ran out: virtual
 * time cannot wait for a Promise. It names the records, what returned the Promise (an error
 * handler, or the nodes whose callback may have), and the ways out.
 *
 * @example
 * throw stillInProcess({ inProcess: [raw], running: 1, asyncHandlers: [] }, topology);
 * // the record at topic words, partition 0, offset 0 was still in process when virtual time
 * // ran out: the callback of MAPVALUES-0000000002 returned a Promise (or never finished), ...
 */
export const stillInProcess = (left: LeftRunning, topology: TestedTopology): TopologyTestError => {
  const { what, fix } = culprit(topology, left);
  return new TopologyTestError(
    `${records(left)} still in process when virtual time ran out: ${what}, and virtual time ` +
      `cannot wait for a Promise. ${fix}, or test the topology against InMemoryKafka in real ` +
      'time (docs/testing.md, "Limits")',
  );
};
