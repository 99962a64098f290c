import { testTopology } from 'rx-kstreams/marbles';
import { normalise, type ParityResult, type WrittenRecord } from './parity-result';
import { ownTopicNames, type ParityScenario, seededRecords, type SeededRecord } from './scenarios';

const MARBLES = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** One input per partition: its records a frame apart, in offset order, then `|`. */
const byPartition = (records: readonly SeededRecord[]): Map<number, SeededRecord[]> => {
  const partitions = new Map<number, SeededRecord[]>();
  for (const record of records) {
    const partition = partitions.get(record.partition) ?? [];
    partition.push(record);
    partitions.set(record.partition, partition);
  }
  for (const partition of partitions.values()) {
    if (partition.length > MARBLES.length) {
      throw new Error(`at most ${MARBLES.length} records per partition, got ${partition.length}`);
    }
  }
  return partitions;
};

/**
 * Runs a scenario on the marble driver: each partition's records fed as they sit in the
 * input topic, what the topology writes collected from every output topic, and the offsets
 * the driver says a runner would commit.
 */
export const runOnDriver = (scenario: ParityScenario): ParityResult => {
  const topics = ownTopicNames(scenario);
  const written: WrittenRecord[] = [];
  const failures: unknown[] = [];
  const { committedOffsets } = testTopology(
    scenario.topology(topics),
    ({ input, output }) => {
      for (const [partition, records] of byPartition(seededRecords(scenario))) {
        const marbles = `${MARBLES.slice(0, records.length)}|`;
        const values = Object.fromEntries(
          records.map(({ key, value, headers }, i) => [MARBLES[i]!, { key, value, headers }]),
        );
        input(scenario.input.topic, marbles, values, { partition });
      }
      for (const topic of scenario.outputs) {
        output(topic).subscribe({
          next: ({ key, value, headers }) => written.push({ topic, key, value, headers }),
          error: (error: unknown) => failures.push(error),
        });
      }
    },
    scenario.handlers(topics),
  );
  if (failures.length > 0) throw failures[0];
  return normalise(scenario, topics, written, committedOffsets);
};
