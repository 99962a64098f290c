import { Kafka, logLevel, Partitioners, type Producer as KafkajsProducerApi } from 'kafkajs';
import { kafkajsClient, type KafkajsClientOptions } from 'rx-kstreams/kafkajs';
import type { Consumer, KafkaClient, Producer, RecordMetadata } from '../../../lib/kafka/client';
import type { RawRecord, TopicPartition } from '../../../lib/record/stream-record';
import {
  brokers,
  committedOffsets,
  createTopic,
  numbered,
  offsetsOf,
  pollUntil,
  produce,
  range,
  readAll,
  recordingListener,
  uniqueName,
  valueOf,
  waitUntil,
} from '../support/broker';

/** Settings that make rebalances quick on a test broker. */
const fastGroup: KafkajsClientOptions['consumer'] = {
  heartbeatInterval: 300,
  sessionTimeout: 10_000,
  maxWaitTimeInMs: 100,
};

describe('kafkajsClient (real broker)', () => {
  const open: { close(): Promise<void> }[] = [];

  const client = (options: Partial<KafkajsClientOptions> = {}): KafkaClient =>
    kafkajsClient({
      brokers: brokers(),
      groupId: uniqueName('group'),
      logLevel: 'nothing',
      consumer: fastGroup,
      ...options,
    } as KafkajsClientOptions);

  const consumerOf = async (c: KafkaClient): Promise<Consumer> => {
    const consumer = c.createConsumer();
    open.push(consumer);
    await consumer.connect();
    return consumer;
  };

  const producerOf = async (c: KafkaClient): Promise<Producer> => {
    const producer = c.createProducer();
    open.push(producer);
    await producer.connect();
    return producer;
  };

  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((o) => o.close()));
  });

  const tp = (topic: string, partition: number): TopicPartition => ({ topic, partition });
  const sortTps = (tps: readonly TopicPartition[]): TopicPartition[] =>
    [...tps].sort((a, b) => a.partition - b.partition);
  const partitionsOf = (tps: readonly TopicPartition[]): number[] =>
    tps.map((t) => t.partition).sort((a, b) => a - b);

  describe('consumer', () => {
    it('should answer lag from the broker: end offsets, and positions after what was polled', async () => {
      const topic = await createTopic(2);
      await produce(topic, [...numbered(0, 30), ...numbered(1, 12)]);
      const groupId = uniqueName('group');
      const first = await consumerOf(client({ groupId }));
      await first.subscribe([topic], recordingListener());
      await pollUntil(first, (all) => all.filter((r) => r.partition === 0).length >= 30);
      await first.commit([{ topic, partition: 0, offset: '20' }]);
      await first.close();

      const consumer = await consumerOf(client({ groupId }));
      await consumer.subscribe([topic], recordingListener());
      const polled = await pollUntil(consumer, (all) => all.length >= 22);
      expect(offsetsOf(polled, 0)).toEqual(range(10, 20));
      await produce(topic, numbered(1, 3, 'later', 12));

      await expect(
        consumer.lag([tp(topic, 0), tp(topic, 1), tp('not-assigned', 0)]),
      ).resolves.toEqual([
        { topic, partition: 0, endOffset: '30', position: '30' },
        { topic, partition: 1, endOffset: '15', position: '12' },
      ]);
    });

    it('should poll produced records in order per partition, after reporting the assignment', async () => {
      const topic = await createTopic(3);
      await produce(topic, [...numbered(0, 20), ...numbered(1, 15), ...numbered(2, 10)]);
      const listener = recordingListener();
      const consumer = await consumerOf(client());
      await consumer.subscribe([topic], listener);

      let eventsBeforeFirstRecord = -1;
      const records = await pollUntil(consumer, (all) => {
        if (all.length > 0 && eventsBeforeFirstRecord < 0)
          eventsBeforeFirstRecord = listener.events.length;
        return all.length >= 45;
      });

      // One comparison, so a failure shows everything that happened.
      expect({
        eventsBeforeFirstRecord,
        events: listener.events,
        assignment: sortTps(consumer.assignment()),
        values: [0, 1, 2].map((p) => records.filter((r) => r.partition === p).map(valueOf)),
        offsets: [0, 1, 2].map((p) => offsetsOf(records, p)),
      }).toEqual({
        eventsBeforeFirstRecord: 1,
        events: [{ kind: 'assigned', partitions: [0, 1, 2].map((p) => tp(topic, p)) }],
        assignment: [0, 1, 2].map((p) => tp(topic, p)),
        values: [20, 15, 10].map((count, p) => range(count).map((i) => `p${p}-${i}`)),
        offsets: [20, 15, 10].map((count) => range(count)),
      });
    });

    it('should convert keys, values, headers and timestamps to RawRecords', async () => {
      const topic = await createTopic(1);
      const c = client();
      const producer = await producerOf(c);
      await producer.send({
        topic,
        key: null,
        value: null,
        headers: { 'x-a': Buffer.from('1'), 'x-empty': Buffer.alloc(0) },
        partition: 0,
        timestamp: 1_700_000_000_000,
      });
      await producer.send({
        topic,
        key: Buffer.from([0, 255]),
        value: Buffer.from('v'),
        partition: 0,
      });
      const consumer = await consumerOf(c);
      await consumer.subscribe([topic], recordingListener());

      const [first, second] = await pollUntil(consumer, (all) => all.length >= 2);

      expect(first).toEqual<RawRecord>({
        topic,
        partition: 0,
        offset: '0',
        timestamp: 1_700_000_000_000,
        key: null,
        value: null,
        headers: { 'x-a': Buffer.from('1'), 'x-empty': Buffer.alloc(0) },
      });
      expect(second?.key).toEqual(Buffer.from([0, 255]));
      expect(second?.value).toEqual(Buffer.from('v'));
      expect(second?.headers).toEqual({});
    });

    it('should hold back a paused partition and continue it without gaps or duplicates on resume', async () => {
      const topic = await createTopic(2);
      await produce(topic, [...numbered(0, 50), ...numbered(1, 50)]);
      const consumer = await consumerOf(client());
      await consumer.subscribe([topic], recordingListener());

      const before = await pollUntil(consumer, (all) => offsetsOf(all, 0).length > 0, {
        maxRecords: 5,
      });
      consumer.pause([tp(topic, 0)]);
      await produce(topic, [...numbered(0, 20, 'p0', 50), ...numbered(1, 20, 'p1', 50)]);
      const seenP1 = offsetsOf(before, 1).length;
      const whilePaused = await pollUntil(
        consumer,
        (all) => offsetsOf(all, 1).length + seenP1 >= 70,
        {
          maxRecords: 7,
        },
      );
      consumer.resume([tp(topic, 0)]);
      const seenP0 = offsetsOf(before, 0).length;
      const after = await pollUntil(consumer, (all) => offsetsOf(all, 0).length + seenP0 >= 70, {
        maxRecords: 7,
      });

      expect(offsetsOf(whilePaused, 0)).toEqual([]);
      const all = [...before, ...whilePaused, ...after];
      expect(offsetsOf(all, 0)).toEqual(range(70));
      expect(offsetsOf(all, 1)).toEqual(range(70));
    });

    it('should let a new consumer of the group resume after the committed offset', async () => {
      const topic = await createTopic(1);
      await produce(topic, numbered(0, 10));
      const groupId = uniqueName('group');
      const first = await consumerOf(client({ groupId }));
      await first.subscribe([topic], recordingListener());
      await pollUntil(first, (all) => all.length >= 10);

      await first.commit([{ topic, partition: 0, offset: '6' }]);
      await first.close();

      expect(await committedOffsets(groupId, topic)).toEqual({ 0: '6' });
      const second = await consumerOf(client({ groupId }));
      await second.subscribe([topic], recordingListener());
      const records = await pollUntil(second, (all) => all.length >= 4);
      expect(offsetsOf(records, 0)).toEqual([6, 7, 8, 9]);
    });

    it('should report a rebalance between two members while one is not polled, and deliver nothing twice', async () => {
      const topic = await createTopic(4);
      await produce(
        topic,
        [0, 1, 2, 3].flatMap((p) => numbered(p, 25)),
      );
      const groupId = uniqueName('group');
      const listenerA = recordingListener();
      const listenerB = recordingListener();
      const a = await consumerOf(client({ groupId }));
      await a.subscribe([topic], listenerA);
      const fromA = await pollUntil(a, (all) => all.length >= 20 && a.assignment().length === 4, {
        maxRecords: 10,
      });
      // Commit what A has so far: B starts a revoked partition right after it.
      await a.commit(
        [0, 1, 2, 3]
          .map((p) => ({ p, last: Math.max(-1, ...offsetsOf(fromA, p)) }))
          .filter(({ last }) => last >= 0)
          .map(({ p, last }) => ({ topic, partition: p, offset: String(last + 1) })),
      );

      const b = await consumerOf(client({ groupId }));
      await b.subscribe([topic], listenerB);
      await produce(
        topic,
        [0, 1, 2, 3].flatMap((p) => numbered(p, 10, `p${p}`, 25)),
      );
      const fromB: RawRecord[] = [];
      const complete = (): boolean =>
        [0, 1, 2, 3].every(
          (p) => new Set([...offsetsOf(fromA, p), ...offsetsOf(fromB, p)]).size >= 35,
        ) &&
        a.assignment().length === 2 &&
        b.assignment().length === 2;
      await waitUntil(complete, 'both members to consume every record', 60_000, async () => {
        fromA.push(...(await a.poll({ maxRecords: 10, timeoutMs: 100 })));
        fromB.push(...(await b.poll({ maxRecords: 10, timeoutMs: 100 })));
      });

      const ofA = partitionsOf(a.assignment());
      const ofB = partitionsOf(b.assignment());
      expect([...ofA, ...ofB].sort()).toEqual([0, 1, 2, 3]);
      // A is not polled while B joins, so onRevoked cannot run before kafkajs rejoins (after an
      // empty fetch). Either kafkajs saw the rebalance first (GROUP_JOIN diff), or the adapter's
      // heartbeat between fetches did and revoked everything, reported once A polls again.
      const all = [0, 1, 2, 3].map((p) => tp(topic, p));
      const diffed = [
        { kind: 'assigned', partitions: all },
        { kind: 'revoked', partitions: ofB.map((p) => tp(topic, p)) },
      ];
      const revokedFirst = [
        { kind: 'assigned', partitions: all },
        { kind: 'revoked', partitions: all },
        { kind: 'assigned', partitions: ofA.map((p) => tp(topic, p)) },
      ];
      expect([diffed, revokedFirst]).toContainEqual(listenerA.events);
      expect(listenerB.events).toEqual([
        { kind: 'assigned', partitions: ofB.map((p) => tp(topic, p)) },
      ]);
      for (const p of ofA) expect(offsetsOf(fromA, p)).toEqual(range(35));
      for (const p of ofB) {
        const byA = offsetsOf(fromA, p);
        expect([...byA, ...offsetsOf(fromB, p)]).toEqual(range(35));
      }
    });

    it('should revoke inside poll before the rejoin when a heartbeat in eachBatch reports the rebalance, and land the commits made there', async () => {
      const topic = await createTopic(2);
      await produce(
        topic,
        [0, 1].flatMap((p) => numbered(p, 3000)),
      );
      const groupId = uniqueName('group');
      const fromA: RawRecord[] = [];
      const fromB: RawRecord[] = [];
      const committedInRevoke: Record<number, string> = {};
      let bJoined = false;
      let polledBeforeRevoke = -1;
      const revocations: { partitions: number[]; owned: number[]; bJoined: boolean }[] = [];
      const eventsA: string[] = [];
      // Both partitions' backlogs are fetched at once and overfill the queue: eachBatch holds
      // the fetch loop (heartbeating) until A has polled 2000 records, so the rebalance B
      // causes shows up inside eachBatch, not after an empty fetch.
      const a = await consumerOf(client({ groupId, maxQueuedRecords: 4000 }));
      await a.subscribe([topic], {
        onAssigned: (partitions) => {
          eventsA.push(`assigned ${partitionsOf(partitions).join(',')}`);
        },
        onRevoked: async (partitions) => {
          eventsA.push(`revoked ${partitionsOf(partitions).join(',')}`);
          revocations.push({
            partitions: partitionsOf(partitions),
            owned: partitionsOf(a.assignment()),
            bJoined,
          });
          polledBeforeRevoke = fromA.length;
          const offsets = partitions
            .map(({ partition }) => ({
              partition,
              last: Math.max(-1, ...offsetsOf(fromA, partition)),
            }))
            .filter(({ last }) => last >= 0)
            .map(({ partition, last }) => ({ topic, partition, offset: String(last + 1) }));
          await a.commit(offsets);
          for (const o of offsets) committedInRevoke[o.partition] = o.offset;
        },
      });
      let polling = true;
      const pollingA = (async () => {
        while (polling) {
          fromA.push(...(await a.poll({ maxRecords: 5, timeoutMs: 100 })));
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      try {
        await waitUntil(
          () => [0, 1].every((p) => offsetsOf(fromA, p).length >= 10),
          'A to poll records of both partitions',
        );
        const b = await consumerOf(client({ groupId }));
        // Resolves once the group has rebalanced, which waits for A to rejoin.
        await b.subscribe([topic], recordingListener());
        bJoined = true;
        await waitUntil(
          () => a.assignment().length === 1 && b.assignment().length === 1,
          'one partition each',
          60_000,
          async () => fromB.push(...(await b.poll({ maxRecords: 1, timeoutMs: 100 }))),
        );
        const committed = await committedOffsets(groupId, topic);
        polling = false;
        await pollingA;
        const mine = a.assignment()[0]!.partition;
        const theirs = b.assignment()[0]!.partition;
        fromA.push(
          ...(await pollUntil(
            a,
            (all) => offsetsOf([...fromA.slice(polledBeforeRevoke), ...all], mine).length > 0,
          )),
        );
        fromB.push(
          ...(await pollUntil(b, (all) => offsetsOf([...fromB, ...all], theirs).length > 0)),
        );
        const before = fromA.slice(0, polledBeforeRevoke);
        const after = fromA.slice(polledBeforeRevoke);

        expect({
          eventsA,
          revocations,
          committed,
          // The new owners start where the commits made in onRevoked left off.
          firstAfter: { [mine]: offsetsOf(after, mine)[0], [theirs]: offsetsOf(fromB, theirs)[0] },
        }).toEqual({
          eventsA: ['assigned 0,1', 'revoked 0,1', `assigned ${mine}`],
          revocations: [{ partitions: [0, 1], owned: [0, 1], bJoined: false }],
          committed: committedInRevoke,
          firstAfter: {
            [mine]: Number(committedInRevoke[mine]),
            [theirs]: Number(committedInRevoke[theirs]),
          },
        });
        expect(committedInRevoke).toEqual({
          0: String(offsetsOf(before, 0).length),
          1: String(offsetsOf(before, 1).length),
        });
      } finally {
        polling = false;
        await pollingA;
      }
    });

    it('should skip offsets of partitions it does not own when committing', async () => {
      const topic = await createTopic(2);
      const groupId = uniqueName('group');
      const a = await consumerOf(client({ groupId }));
      await a.subscribe([topic], recordingListener());
      await waitUntil(
        () => a.assignment().length === 2,
        'A to own both partitions',
        60_000,
        () => a.poll({ maxRecords: 10, timeoutMs: 100 }),
      );
      const b = await consumerOf(client({ groupId }));
      await b.subscribe([topic], recordingListener());
      await waitUntil(
        () => a.assignment().length === 1 && b.assignment().length === 1,
        'one partition each',
        60_000,
        () =>
          Promise.all([
            a.poll({ maxRecords: 10, timeoutMs: 100 }),
            b.poll({ maxRecords: 10, timeoutMs: 100 }),
          ]),
      );
      const mine = a.assignment()[0]!.partition;
      const theirs = b.assignment()[0]!.partition;

      await a.commit([
        { topic, partition: mine, offset: '1' },
        { topic, partition: theirs, offset: '1' },
        { topic: uniqueName('other'), partition: 0, offset: '1' },
      ]);

      expect(await committedOffsets(groupId, topic)).toEqual({ [mine]: '1', [theirs]: '-1' });
    });
  });

  describe('producer', () => {
    const countingKafka = (): { kafka: Kafka; produceRequests: () => number } => {
      const kafka = new Kafka({
        clientId: 'rx-kstreams-e2e',
        brokers: brokers(),
        logLevel: logLevel.NOTHING,
      });
      let requests = 0;
      const create = kafka.producer.bind(kafka);
      jest.spyOn(kafka, 'producer').mockImplementation((config) => {
        const producer: KafkajsProducerApi = create(config);
        producer.on(producer.events.REQUEST, (event) => {
          if (event.payload.apiName === 'Produce') requests += 1;
        });
        return producer;
      });
      return { kafka, produceRequests: () => requests };
    };

    const expectConsecutivePerPartition = (metas: readonly RecordMetadata[]): void => {
      for (const partition of new Set(metas.map((m) => m.partition))) {
        const offsets = metas.filter((m) => m.partition === partition).map((m) => Number(m.offset));
        expect(offsets).toEqual(range(offsets.length));
      }
    };

    it('should send many sends in one batch and ack each with its own offset', async () => {
      const topic = await createTopic(3);
      const { kafka, produceRequests } = countingKafka();
      // A long linger: the batch goes out on flush, however slow the machine is.
      const producer = await producerOf(
        kafkajsClient({ kafka, groupId: uniqueName('group'), producer: { lingerMs: 600_000 } }),
      );

      const sends = range(90).map((i) =>
        producer.send({ topic, key: Buffer.from(`key-${i}`), value: Buffer.from(`v-${i}`) }),
      );
      await producer.flush();
      const metas = await Promise.all(sends);

      expect(produceRequests()).toBe(1);
      expectConsecutivePerPartition(metas);
      const javaPartition = Partitioners.DefaultPartitioner();
      const partitionMetadata = [0, 1, 2].map((partitionId) => ({
        partitionId,
        leader: 1,
        partitionErrorCode: 0,
        replicas: [1],
        isr: [1],
      }));
      metas.forEach((meta, i) => {
        expect(meta.topic).toBe(topic);
        expect(meta.partition).toBe(
          javaPartition({
            topic,
            partitionMetadata,
            message: { key: Buffer.from(`key-${i}`), value: null },
          }),
        );
      });
      const stored = await readAll(topic);
      const at = new Map(stored.map((r) => [`${r.partition}:${r.offset}`, valueOf(r)]));
      metas.forEach((meta, i) => expect(at.get(`${meta.partition}:${meta.offset}`)).toBe(`v-${i}`));
    });

    it('should split sends into batches of maxBatchRecords, keeping the order per partition', async () => {
      const topic = await createTopic(1);
      const { kafka, produceRequests } = countingKafka();
      const producer = await producerOf(
        kafkajsClient({
          kafka,
          groupId: uniqueName('group'),
          producer: { maxBatchRecords: 10, lingerMs: 600_000 },
        }),
      );

      const sends = range(50).map((i) =>
        producer.send({ topic, key: null, value: Buffer.from(`v-${i}`), partition: 0 }),
      );
      await producer.flush();
      const metas = await Promise.all(sends);

      expect(produceRequests()).toBe(5);
      expect(metas.map((m) => m.offset)).toEqual(range(50).map(String));
      expect((await readAll(topic)).map(valueOf)).toEqual(range(50).map((i) => `v-${i}`));
    });

    it('should send what waits at once on flush and resolve every send before flush resolves', async () => {
      const topic = await createTopic(2);
      const producer = await producerOf(client({ producer: { lingerMs: 600_000 } }));
      const acked: RecordMetadata[] = [];

      const sends = range(5).map((i) =>
        producer
          .send({ topic, key: null, value: Buffer.from(`v-${i}`), partition: i % 2 })
          .then((meta) => acked.push(meta)),
      );
      await producer.flush();

      expect(acked).toHaveLength(5);
      await Promise.all(sends);
      expect((await readAll(topic)).map(valueOf).sort()).toEqual(range(5).map((i) => `v-${i}`));
    });
  });
});
