import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type IHeaders } from 'kafkajs';
import type { RawRecord, TopicPartition } from '../../../lib/record/stream-record';
import type { Consumer, RebalanceListener } from '../../../lib/kafka/client';

/** The brokers of the real-broker suite: `KAFKA_BROKERS` (comma-separated) or 127.0.0.1:9092. */
export const brokers = (): string[] =>
  (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b !== '');

/** A fresh name per test, so tests never share topics or groups. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 12)}`;

/** A kafkajs instance for the helpers below (not the one under test). */
export const helperKafka = (): Kafka =>
  new Kafka({ clientId: 'rx-kstreams-e2e-helper', brokers: brokers(), logLevel: logLevel.NOTHING });

/** Runs `use` with a connected admin client. */
export const withAdmin = async <T>(use: (admin: Admin) => Promise<T>): Promise<T> => {
  const admin = helperKafka().admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
};

/** Creates a topic with this many partitions and waits until every partition has a leader. */
export const createTopic = async (partitions: number, prefix = 'topic'): Promise<string> => {
  const topic = uniqueName(prefix);
  await withAdmin(async (admin) => {
    // A broker just restarted (the chaos suite) may not host the fresh partitions yet when
    // kafkajs waits for their leaders: ask again. kafkajs answers false when the topic exists,
    // which after a retry means the first attempt made it (the name is unique).
    let attempts = 0;
    const created = await untilLeadersAnswer(() => {
      attempts += 1;
      return admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    }, topic);
    if (!created && attempts === 1) throw new Error(`topic ${topic} already exists`);
    // Metadata can name a leader before that broker acts as one; a write then fails for
    // some partitions and kafkajs retries the whole request, duplicating the others.
    // ListOffsets is answered by the acting leader only (kafkajs retries until it is).
    await untilLeadersAnswer(() => admin.fetchTopicOffsets(topic), topic);
  });
  return topic;
};

/** Retries `ask` while a fresh topic's leaders are not acting yet (kafkajs gives up early). */
const untilLeadersAnswer = async <T>(ask: () => Promise<T>, topic: string): Promise<T> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await ask();
    } catch (error) {
      const notYet =
        /not the leader|leader not available|unknown topic|does not host this topic-partition/i.test(
          String(error),
        );
      if (!notYet || Date.now() > deadline) {
        throw new Error(`topic ${topic}: its leaders did not answer`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};

/** A record to produce with the helper: strings for convenience. */
export interface TestRecord {
  readonly partition: number;
  readonly key?: string | null;
  readonly value: string | null;
  readonly headers?: IHeaders;
}

/** Produces records with a plain kafkajs producer (acks from all replicas). */
export const produce = async (topic: string, records: readonly TestRecord[]): Promise<void> => {
  const producer = helperKafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: records.map((r) => ({
        partition: r.partition,
        key: r.key ?? null,
        value: r.value,
        headers: r.headers,
      })),
    });
  } finally {
    await producer.disconnect();
  }
};

/** Records for partition `partition` with values `${prefix}-${i}`, i from `from`. */
export const numbered = (
  partition: number,
  count: number,
  prefix = `p${partition}`,
  from = 0,
): TestRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    partition,
    key: `k${from + i}`,
    value: `${prefix}-${from + i}`,
  }));

/** The committed offsets of a group for a topic: partition → offset ('-1' when none). */
export const committedOffsets = (groupId: string, topic: string): Promise<Record<number, string>> =>
  withAdmin(async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const out: Record<number, string> = {};
    for (const { partition, offset } of offsets?.partitions ?? []) out[partition] = offset;
    return out;
  });

/** Every record a topic holds, read with a throwaway group from the beginning. */
export const readAll = async (topic: string): Promise<RawRecord[]> => {
  const kafka = helperKafka();
  const ends = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  const expected = ends.reduce((n, { high, low }) => n + Number(high) - Number(low), 0);
  const records: RawRecord[] = [];
  if (expected === 0) return records;
  const consumer = kafka.consumer({ groupId: uniqueName('read-all'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`readAll(${topic}): timed out`)), 60_000);
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, Buffer | undefined> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) {
            const last = Array.isArray(value) ? value[value.length - 1] : value;
            headers[name] = last === undefined ? undefined : Buffer.from(last);
          }
          records.push({
            topic,
            partition,
            offset: message.offset,
            timestamp: Number(message.timestamp),
            key: message.key,
            value: message.value,
            headers,
          });
          if (records.length >= expected) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
};

/** A rebalance listener that records what it is told, in order. */
export interface RecordingListener extends RebalanceListener {
  readonly events: {
    readonly kind: 'assigned' | 'revoked';
    readonly partitions: TopicPartition[];
  }[];
}

export const recordingListener = (): RecordingListener => {
  const events: RecordingListener['events'] = [];
  return {
    events,
    onAssigned: (partitions) => {
      events.push({ kind: 'assigned', partitions: [...partitions] });
    },
    onRevoked: (partitions) => {
      events.push({ kind: 'revoked', partitions: [...partitions] });
    },
  };
};

/** Polls until `done` says so (checked after every poll), or fails after `timeoutMs`. */
export const pollUntil = async (
  consumer: Consumer,
  done: (all: readonly RawRecord[]) => boolean,
  { timeoutMs = 60_000, maxRecords = 500 }: { timeoutMs?: number; maxRecords?: number } = {},
): Promise<RawRecord[]> => {
  const all: RawRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!done(all)) {
    if (Date.now() > deadline) {
      throw new Error(`pollUntil: gave up after ${timeoutMs} ms with ${all.length} records`);
    }
    all.push(...(await consumer.poll({ maxRecords, timeoutMs: 200 })));
  }
  return all;
};

/** Waits until `check` holds, polling `consumer` meanwhile so rebalances are reported. */
export const waitUntil = async (
  check: () => boolean,
  what: string,
  timeoutMs = 60_000,
  onTick: () => Promise<unknown> = () => new Promise((r) => setTimeout(r, 100)),
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await onTick();
  }
};

/** The string value of a record. */
export const valueOf = (r: RawRecord): string | null =>
  r.value === null ? null : r.value.toString('utf8');

/** The offsets of one partition's records, in delivery order. */
export const offsetsOf = (records: readonly RawRecord[], partition: number): number[] =>
  records.filter((r) => r.partition === partition).map((r) => Number(r.offset));

/** 0, 1, ..., n - 1. */
export const range = (n: number, from = 0): number[] =>
  Array.from({ length: n }, (_, i) => from + i);
