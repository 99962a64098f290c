import { defer, from, isObservable, type Observable, EMPTY, ignoreElements } from 'rxjs';
import type { RawRecord } from '../../../lib/record/stream-record';
import type {
  RecordSink,
  RunnableTopology,
  TaskInfo,
  TopologyTask,
} from '../../../lib/topology/topology-task';

/** What a scripted topology does with one record. */
export type Script = (
  raw: RawRecord,
  sink: RecordSink,
  info: TaskInfo,
) => void | Promise<unknown> | Observable<unknown>;

/** Lifecycle of the scripted task instances, for assertions on tasks. */
export interface TaskLog {
  created: string[];
  closed: string[];
}

/**
 * A topology whose per-record work is a test script: lets runner specs control timing,
 * failures and outputs exactly, without depending on the DSL.
 */
export const scriptedTopology = (
  topics: readonly string[],
  script: Script,
  log: TaskLog = { created: [], closed: [] },
): RunnableTopology & { log: TaskLog } => ({
  sourceTopics: topics,
  log,
  createTask: (info: TaskInfo): TopologyTask => {
    log.created.push(info.id);
    return {
      push: (raw, sink) =>
        defer(() => {
          const result = script(raw, sink, info);
          if (result === undefined) return EMPTY;
          return isObservable(result) ? result : from(result);
        }).pipe(ignoreElements()),
      close: async () => {
        log.closed.push(info.id);
      },
    };
  },
});

/** Forwards the record unchanged to `topic`. */
export const forwardTo =
  (topic: string): Script =>
  (raw, sink) => {
    sink.send({ topic, key: raw.key, value: raw.value, headers: raw.headers }, 'SINK');
  };

/** Resolves after `ms` of real time. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every few ms until it holds (or fails the test after `timeoutMs`). */
export const eventually = async (
  check: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
};

/** `count` string records `prefix-i` spread by key over the topic's partitions. */
export const values = (prefix: string, count: number): Array<{ key: string; value: string }> =>
  Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${prefix}-${i}` }));

/** True once the group has committed the end of every partition of `topic`. */
export const caughtUp = (
  kafka: {
    endOffsets(t: string): Record<number, string>;
    committedOffsets(g: string): Record<string, Record<number, string>>;
  },
  groupId: string,
  topic: string,
): boolean => {
  const ends = kafka.endOffsets(topic);
  const committed = kafka.committedOffsets(groupId)[topic] ?? {};
  return Object.entries(ends).every(([p, end]) => end === '0' || committed[Number(p)] === end);
};

/** Produces numbered records `0, 1, 2, ...` (keys `k0, k1, ...`) to `topic`, a few at a time. */
export const numberedProducer = (
  kafka: { produce(topic: string, records: Array<{ key: string; value: string }>): unknown },
  topic: string,
): { produce(count: number): void; readonly produced: number } => {
  let produced = 0;
  return {
    produce: (count) => {
      kafka.produce(
        topic,
        Array.from({ length: count }, (_, i) => ({
          key: `k${produced + i}`,
          value: `${produced + i}`,
        })),
      );
      produced += count;
    },
    get produced() {
      return produced;
    },
  };
};
