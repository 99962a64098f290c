import { Serdes, Stores } from 'rx-kstreams';
import type { InternalTopics, KafkaClient } from '../../lib/kafka/client';
import { StateRestorer } from '../../lib/runner/state-restorer';
import type { RawRecord } from '../../lib/record/stream-record';
import { InMemoryBytesStore } from '../../lib/state/in-memory-bytes-store';
import { TaskStore } from '../../lib/state/task-store';
import type { StreamTask } from '../../lib/task/stream-task';
import { recordingLogger } from '../support/recording-logger';

const counts = Stores.keyValueStore('counts', {
  key: Serdes.string(),
  value: Serdes.json<number>(),
});
const changelog = { topic: 'app-counts-changelog', partition: 0 };
const record = (key: string, value: string | null, offset: number): RawRecord => ({
  ...changelog,
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  offset: String(offset),
  timestamp: 0,
  headers: {},
});

/** Internal topics whose first `failures` reads hand over one record and then fail. */
const flakyTopics = (records: readonly RawRecord[], failures: number) => {
  let reads = 0;
  const topics: InternalTopics = {
    describe: async () => new Map(),
    create: async () => undefined,
    endOffset: async () => String(records.length),
    readPartition: async (_tp, _from, onRecords) => {
      reads += 1;
      if (reads <= failures) {
        onRecords(records.slice(0, 1));
        throw new Error('This server is not the leader for that topic-partition');
      }
      onRecords(records);
      return String(records.length);
    },
    close: async () => undefined,
  };
  return { topics, reads: () => reads };
};

const restorerWith = (topics: InternalTopics, logger = recordingLogger()) => {
  const client: KafkaClient = {
    groupId: 'app',
    createConsumer: () => {
      throw new Error('not used');
    },
    createProducer: () => {
      throw new Error('not used');
    },
    createInternalTopics: () => topics,
  };
  return new StateRestorer(
    client,
    {
      sourceTopics: ['words'],
      stateStores: [counts as never],
      createTask: () => {
        throw new Error('not here');
      },
    },
    'app',
    logger,
  );
};

const taskWith = (store: TaskStore): StreamTask =>
  ({
    info: { id: 'words:0', topic: 'words', partition: 0 },
    stores: [store],
  }) as unknown as StreamTask;

describe('StateRestorer', () => {
  const records = [
    record('fig', '1', 0),
    record('kiwi', '1', 1),
    record('fig', '2', 2),
    record('kiwi', null, 3),
  ];

  it('should read a changelog again after a failed read, applying it once in effect', async () => {
    const flaky = flakyTopics(records, 2);
    const logger = recordingLogger();
    const restorer = restorerWith(flaky.topics, logger);
    await restorer.prepare();
    const store = new TaskStore(counts as never, new InMemoryBytesStore(), changelog);
    const task = taskWith(store);
    await restorer.restore(task, () => undefined);

    expect(flaky.reads()).toBe(3);
    expect(restorer.progressOf(task)).toEqual({ records: 4, done: true });
    const view = store.readOnly();
    expect(view.get('fig' as never)).toBe(2);
    expect(view.get('kiwi' as never)).toBeUndefined();
    expect(
      logger.messages().filter((m) => m.startsWith('reading a changelog back failed')),
    ).toHaveLength(2);
  });

  it('should give up after five failed reads with the client’s error', async () => {
    const restorer = restorerWith(flakyTopics(records, 5).topics);
    await restorer.prepare();
    const task = taskWith(new TaskStore(counts as never, new InMemoryBytesStore(), changelog));
    await expect(restorer.restore(task, () => undefined)).rejects.toThrow(/not the leader/);
    expect(restorer.progressOf(task)?.done).toBe(false);
  }, 10_000);
});
