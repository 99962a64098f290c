import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, logLevel, type Message } from 'kafkajs';
import { sleep } from './sleep';
import type { OrderData } from './orders';

/** A fresh name per run, so runs never share topics or groups. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A kafkajs instance for the benchmarks' own set-up and checks (not a contender's). */
export const helperKafka = (brokers: readonly string[], clientId = 'rx-kstreams-bench'): Kafka =>
  new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });

/**
 * Whether a broker answers within a few seconds: undefined when it does, else why not.
 *
 * @example
 * const problem = await probeBroker(['127.0.0.1:9092']);
 */
export const probeBroker = async (brokers: readonly string[]): Promise<string | undefined> => {
  const kafka = new Kafka({
    clientId: 'rx-kstreams-bench-probe',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1500,
    requestTimeout: 3000,
    retry: { retries: 1, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  try {
    const timeout = sleep(8000).then(() => {
      throw new Error('no answer within 8 s');
    });
    await Promise.race([
      (async () => {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('the cluster lists no broker');
      })(),
      timeout,
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
};

/** The benchmarks' admin: topics, offsets, committed offsets, bulk produce. */
export class BenchBroker {
  private constructor(
    readonly kafka: Kafka,
    readonly admin: Admin,
  ) {}

  static async connect(brokers: readonly string[]): Promise<BenchBroker> {
    const kafka = helperKafka(brokers);
    const admin = kafka.admin();
    await admin.connect();
    return new BenchBroker(kafka, admin);
  }

  /**
   * Creates topics and waits until every partition's leader acts as one (ListOffsets is
   * answered by the acting leader only): a write to a fresh topic before that fails for
   * some partitions, and kafkajs retries the whole request, duplicating the others.
   */
  async createTopics(
    names: readonly string[],
    partitions: number,
    config: Readonly<Record<string, string>> = {},
  ): Promise<void> {
    const configEntries = Object.entries(config).map(([name, value]) => ({ name, value }));
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: names.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor: 1,
        configEntries,
      })),
    });
    for (const topic of names) {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await this.admin.fetchTopicOffsets(topic);
          break;
        } catch (error) {
          if (attempt >= 100) throw error;
          await sleep(100);
        }
      }
    }
  }

  /** Records the topic holds (sum of high watermarks minus low). */
  async count(topic: string): Promise<number> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  }

  /** High watermark per partition. */
  async endOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  }

  /** Records of `topic` the group has not committed. */
  async lag(groupId: string, topic: string): Promise<number> {
    const ends = await this.endOffsets(topic);
    const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    let lag = 0;
    for (const [partition, end] of ends) {
      const c = committed?.partitions.find((p) => p.partition === partition);
      lag += end - Math.max(0, Number(c?.offset ?? 0));
    }
    return lag;
  }

  /**
   * Writes orders `from` to `to` (keyed by customer, partitioned by kafkajs's murmur2
   * default) with a plain kafkajs producer, a few requests in flight.
   */
  async produceOrders(topic: string, data: OrderData, from = 0, to = data.count): Promise<void> {
    const producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const chunk = 4000;
      const inFlight: Promise<unknown>[] = [];
      for (let start = from; start < to; start += chunk) {
        const messages: Message[] = [];
        for (let i = start; i < Math.min(to, start + chunk); i += 1) {
          messages.push({ key: data.keys[i]!, value: data.values[i]! });
        }
        inFlight.push(producer.send({ topic, messages }));
        if (inFlight.length >= 4) await inFlight.shift();
      }
      await Promise.all(inFlight);
    } finally {
      await producer.disconnect();
    }
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }
}
