import {
  Application,
  BrokerConnectionError,
  forEach,
  singleThreadedRunner,
  StreamsBuilder,
  UnknownTopicError,
  type RunnableTopology,
} from 'rx-kstreams';
import { kafkatsClient } from 'rx-kstreams/kafkats';
import type { Consumer } from '../../../lib/kafka/client';
import { partitionForKey } from '../../../lib/kafka/murmur2';
import { recordingLogger } from '../../support/recording-logger';
import {
  brokers,
  committedOffsets,
  createTopic,
  numbered,
  produce,
  readAll,
  recordingListener,
  uniqueName,
  valueOf,
  waitUntil,
  type RecordingListener,
} from '../support/broker';

const client = (groupId: string) =>
  kafkatsClient({
    brokers: brokers(),
    groupId,
    logLevel: 'silent',
    consumer: { heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000, maxWaitMs: 100 },
  });

const reading = (topic: string): RunnableTopology => {
  const builder = new StreamsBuilder();
  builder.stream(topic).pipe(forEach(() => undefined));
  return builder.build();
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A consumer of the port, subscribed, with a listener that records and a poll loop. */
const member = async (groupId: string, topic: string) => {
  const consumer: Consumer = client(groupId).createConsumer();
  const listener: RecordingListener = recordingListener();
  await consumer.connect();
  await consumer.subscribe([topic], listener);
  let polling = true;
  const loop = (async () => {
    while (polling) await consumer.poll({ maxRecords: 100, timeoutMs: 100 });
  })();
  return {
    consumer,
    listener,
    owned: () => consumer.assignment().length,
    stop: async () => {
      polling = false;
      await loop;
      await consumer.close();
    },
  };
};

describe('kafkatsClient on a real broker', () => {
  it('should write the records of a fresh producer in the order they were sent', async () => {
    const topic = await createTopic(2, 'order');
    const producer = client(uniqueName('p')).createProducer();
    await producer.connect();
    try {
      // Sent at once, before the producer knows the topic: @kafkats/client alone queues
      // such sends in whatever order their metadata lookups finish.
      const sent = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          producer.send({ topic, key: Buffer.from('k'), value: Buffer.from(String(i)) }),
        ),
      );
      const partition = sent[0]!.partition;
      expect(sent.map((m) => m.partition)).toEqual(sent.map(() => partition));
      expect(sent.map((m) => Number(m.offset))).toEqual(sent.map((_, i) => i));
    } finally {
      await producer.close();
    }
    expect((await readAll(topic)).map(valueOf)).toEqual(
      Array.from({ length: 60 }, (_, i) => String(i)),
    );
  });

  it('should place keys where the Java client and kafkajs place them', async () => {
    const topic = await createTopic(7, 'keys');
    const producer = client(uniqueName('p')).createProducer();
    await producer.connect();
    const keys = Array.from({ length: 200 }, (_, i) => `customer-${i * 7919}`);
    try {
      const sent = await Promise.all(
        keys.map((key) => producer.send({ topic, key: Buffer.from(key), value: Buffer.from('v') })),
      );
      expect(sent.map((m) => m.partition)).toEqual(
        keys.map((key) => partitionForKey(Buffer.from(key), 7)),
      );
      // Not all on one partition: the check above compares a real spread.
      expect(new Set(sent.map((m) => m.partition)).size).toBe(7);
    } finally {
      await producer.close();
    }
  });

  it('should keep retained partitions running when a member joins and leaves (cooperative)', async () => {
    const topic = await createTopic(4, 'coop');
    const groupId = uniqueName('coop');
    const first = await member(groupId, topic);
    try {
      await waitUntil(() => first.owned() === 4, 'the first member to own every partition');
      const second = await member(groupId, topic);
      await waitUntil(
        () => first.owned() === 2 && second.owned() === 2,
        'the partitions to be shared out',
      );
      // The first member gave up the two that moved, nothing else, and was not re-assigned
      // the two it kept.
      const revokedOnJoin = first.listener.events.filter((e) => e.kind === 'revoked');
      expect(revokedOnJoin.flatMap((e) => e.partitions)).toHaveLength(2);
      expect(first.listener.events.filter((e) => e.kind === 'assigned')).toHaveLength(1);
      await second.stop();
      await waitUntil(() => first.owned() === 4, 'the first member to own every partition again');
      // On the leave it was only given the two back: nothing revoked.
      expect(first.listener.events.filter((e) => e.kind === 'revoked')).toHaveLength(
        revokedOnJoin.length,
      );
      const assigned = first.listener.events.filter((e) => e.kind === 'assigned');
      expect(assigned).toHaveLength(2);
      expect(assigned[1]!.partitions).toHaveLength(2);
    } finally {
      await first.stop();
    }
  }, 90_000);

  it('should return a backlog in offset order while many fetches of a partition wait', async () => {
    const topic = await createTopic(1, 'backlog');
    const records = Array.from({ length: 6000 }, (_, i) => ({
      partition: 0,
      value: `${i}`.padStart(200, '.'),
    }));
    for (let i = 0; i < records.length; i += 50) await produce(topic, records.slice(i, i + 50));
    const consumer = kafkatsClient({
      brokers: brokers(),
      groupId: uniqueName('backlog'),
      logLevel: 'silent',
      // Small fetches, and a short queue: while poll lags, @kafkats/client buffers several
      // fetches of the partition and hands them over together.
      consumer: { maxBytesPerPartition: 16_384, maxWaitMs: 100 },
      maxQueuedRecords: 50,
    }).createConsumer();
    await consumer.connect();
    await consumer.subscribe([topic], recordingListener());
    const offsets: number[] = [];
    try {
      const deadline = Date.now() + 60_000;
      while (offsets.length < records.length && Date.now() < deadline) {
        for (const r of await consumer.poll({ maxRecords: 97, timeoutMs: 200 })) {
          offsets.push(Number(r.offset));
        }
        await sleep(2); // slower than the fetches: the buffer fills
      }
    } finally {
      await consumer.close();
    }
    expect(offsets).toEqual(records.map((_, i) => i));
  }, 90_000);

  it('should commit only partitions it owns', async () => {
    const topic = await createTopic(2, 'owned');
    await produce(topic, [...numbered(0, 5), ...numbered(1, 5)]);
    const groupId = uniqueName('owned');
    const only = await member(groupId, topic);
    try {
      await waitUntil(() => only.owned() === 2, 'the member to own both partitions');
      await only.consumer.commit([
        { topic, partition: 0, offset: '3' },
        { topic, partition: 9, offset: '3' },
      ]);
      expect(await committedOffsets(groupId, topic)).toEqual({ 0: '3', 1: '-1' });
    } finally {
      await only.stop();
    }
  });

  it('should fail at once, naming the address, when nothing listens there', async () => {
    const logger = recordingLogger();
    const app = new Application(
      kafkatsClient({ brokers: ['127.0.0.1:1'], groupId: uniqueName('nobody') }),
      reading('orders'),
    );
    const error = await app.runWith(undefined, singleThreadedRunner({ logger })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BrokerConnectionError);
    const failed = error as BrokerConnectionError;
    expect(failed.brokers).toEqual(['127.0.0.1:1']);
    expect(failed.message).toMatch(
      /^cannot connect to Kafka at 127\.0\.0\.1:1 \(.*ECONNREFUSED 127\.0\.0\.1:1.*\): check the brokers option/,
    );
    expect(failed.elapsedMs).toBeLessThan(20_000);
  });

  it('should name a source topic that does not exist', async () => {
    const existing = await createTopic(1, 'present');
    const missing = uniqueName('absent');
    const builder = new StreamsBuilder();
    builder.stream([existing, missing]).pipe(forEach(() => undefined));
    const app = new Application(client(uniqueName('missing')), builder.build());
    const error = await app.runWith(undefined, singleThreadedRunner()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnknownTopicError);
    expect((error as UnknownTopicError).topics).toEqual([missing]);
    expect((error as Error).message).toMatch(/^source topic ".*" does not exist at /);
    await sleep(0);
  });
});
