import {
  partitionedRunner,
  type RunnerFactory,
  type RunnerOptions,
  singleThreadedRunner,
} from 'rx-kstreams';
import { testClient } from './support/client-under-test';
import {
  byPosition,
  normalise,
  type ParityResult,
  storedInput,
  summarise,
  writtenFromRaw,
} from '../parity/parity-result';
import { isOffset } from '../../lib/kafka/offset';
import { runOnDriver } from '../parity/run-on-driver';
import {
  type ParityScenario,
  scenarios,
  seededRecords,
  type TopicNames,
} from '../parity/scenarios';
import { startApp } from '../runner/support/run-app';
import {
  committedOffsets,
  createTopic,
  produce,
  readAll,
  uniqueName,
  withAdmin,
} from './support/broker';

const runners: ReadonlyArray<[string, (options: RunnerOptions) => RunnerFactory]> = [
  [
    'singleThreadedRunner',
    (o) => singleThreadedRunner({ pollTimeoutMs: 100, commitIntervalMs: 200, ...o }),
  ],
  [
    'partitionedRunner',
    (o) => partitionedRunner({ pollTimeoutMs: 100, commitIntervalMs: 200, ...o }),
  ],
];

const client = (groupId: string) => testClient({ groupId });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The group's committed offsets of `topic`; partitions without one (`-1`) left out. */
const committedOf = async (groupId: string, topic: string): Promise<Record<number, string>> =>
  Object.fromEntries(
    Object.entries(await committedOffsets(groupId, topic))
      .filter(([, offset]) => isOffset(offset))
      .map(([partition, offset]) => [Number(partition), offset]),
  );

/** Waits until the group has committed the end of every partition of `topic`, or gives up. */
const settle = async (groupId: string, topic: string, timeoutMs = 60_000): Promise<void> => {
  const ends = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const committed = await committedOf(groupId, topic);
    if (ends.every(({ partition, high }) => (committed[partition] ?? '0') === high)) return;
    await sleep(100);
  }
};

/** Each of the scenario's topics under a fresh random name (outputs with one partition). */
const createTopics = async (scenario: ParityScenario): Promise<TopicNames> => {
  const { topic, partitions } = scenario.input;
  const names: Record<string, string> = {
    [topic]: await createTopic(partitions, `parity-${topic}`),
  };
  for (const output of scenario.outputs) names[output] = await createTopic(1, `parity-${output}`);
  return names;
};

describe.each(scenarios.map((s) => [s.name, s] as const))(
  'parity on a real broker: %s',
  (_name, scenario) => {
    it.each(runners)(
      'should leave what the marble driver leaves with the %s',
      async (_runner, runner) => {
        const topics = await createTopics(scenario);
        const input = topics[scenario.input.topic]!;
        const groupId = uniqueName('parity');
        await produce(input, seededRecords(scenario));
        const app = startApp(
          client(groupId),
          scenario.topology(topics),
          runner(scenario.handlers(topics)),
        );
        try {
          await settle(groupId, input);
        } finally {
          await app.stop();
        }
        const written = [];
        for (const output of scenario.outputs) {
          written.push(...(await readAll(topics[output]!)).map(writtenFromRaw));
        }
        const result: ParityResult = normalise(scenario, topics, written, {
          [input]: await committedOf(groupId, input),
        });

        // The driver was fed the records exactly as they sit in the input topic.
        const stored = (await readAll(input)).map(storedInput);
        expect(byPosition(stored)).toEqual(byPosition(seededRecords(scenario)));
        expect(result).toEqual(runOnDriver(scenario));
        expect(summarise(result)).toEqual(scenario.expected);
      },
    );
  },
);
