import {
  InMemoryKafka,
  partitionedRunner,
  type RunnerFactory,
  type RunnerOptions,
  singleThreadedRunner,
} from 'rx-kstreams';
import { startApp } from '../runner/support/run-app';
import { caughtUp, sleep } from '../runner/support/scripted-topology';
import {
  normalise,
  type ParityResult,
  byPosition,
  storedInput,
  summarise,
  writtenFromRaw,
} from './parity-result';
import { runOnDriver } from './run-on-driver';
import { ownTopicNames, type ParityScenario, scenarios, seededRecords } from './scenarios';

const runners: ReadonlyArray<[string, (options: RunnerOptions) => RunnerFactory]> = [
  ['singleThreadedRunner', (o) => singleThreadedRunner({ pollTimeoutMs: 5, ...o })],
  ['partitionedRunner', (o) => partitionedRunner({ pollTimeoutMs: 5, ...o })],
];

/** Waits until `done` holds or `timeoutMs` passes: a run that falls short is compared as is. */
const settle = async (done: () => boolean, timeoutMs = 3000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await sleep(5);
};

/** Runs a scenario on the in-memory Kafka with a runner, until every input is committed. */
const runInMemory = async (
  scenario: ParityScenario,
  runner: (options: RunnerOptions) => RunnerFactory,
): Promise<{ result: ParityResult; kafka: InMemoryKafka }> => {
  const topics = ownTopicNames(scenario);
  const { topic, partitions } = scenario.input;
  const kafka = new InMemoryKafka();
  kafka.createTopic(topic, { partitions });
  for (const output of scenario.outputs) kafka.createTopic(output, { partitions: 1 });
  kafka.produce(topic, seededRecords(scenario));
  const groupId = 'parity';
  const app = startApp(
    kafka.client({ groupId }),
    scenario.topology(topics),
    runner({ commitIntervalMs: 10, ...scenario.handlers(topics) }),
  );
  await settle(() => caughtUp(kafka, groupId, topic));
  await app.stop();
  const written = scenario.outputs.flatMap((output) => kafka.records(output).map(writtenFromRaw));
  return {
    result: normalise(scenario, topics, written, kafka.committedOffsets(groupId)),
    kafka,
  };
};

describe.each(scenarios.map((s) => [s.name, s] as const))('parity: %s', (_name, scenario) => {
  it('should give the marble driver the results the scenario expects', () => {
    expect(summarise(runOnDriver(scenario))).toEqual(scenario.expected);
  });

  it.each(runners)(
    'should leave the same outputs, dead letters and commits with the %s on the in-memory Kafka',
    async (_runner, runner) => {
      const { result, kafka } = await runInMemory(scenario, runner);

      // The driver was fed the records exactly as they sit in the input topic.
      expect(byPosition(kafka.records(scenario.input.topic).map(storedInput))).toEqual(
        byPosition(seededRecords(scenario)),
      );
      expect(result).toEqual(runOnDriver(scenario));
      expect(summarise(result)).toEqual(scenario.expected);
    },
  );
});
