import { ConfigError } from '../../../lib/errors/config-error';
import { InMemoryKafka } from '../../../lib/kafka/memory/in-memory-kafka';
import { InMemoryKafkaError } from '../../../lib/kafka/memory/in-memory-kafka-error';
import type { ListenerCall } from './fixtures/kit';
import {
  names,
  noopListener,
  pollNow,
  recordingListener,
  startConsumer,
  tp,
  values,
} from './fixtures/kit';

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (e) {
    return e instanceof InMemoryKafkaError ? e.code : `not an InMemoryKafkaError: ${String(e)}`;
  }
  return 'resolved';
};

const fill = (kafka: InMemoryKafka, topic: string, partition: number, count: number): void => {
  kafka.produce(
    topic,
    Array.from({ length: count }, (_, i) => ({ value: `p${partition}-${i}`, partition })),
  );
};

describe('InMemoryConsumer', () => {
  describe('lifecycle', () => {
    it('should refuse subscribe before connect', async () => {
      const consumer = new InMemoryKafka().client({ groupId: 'g' }).createConsumer();

      expect(await codeOf(consumer.subscribe(['t'], noopListener))).toBe('ILLEGAL_STATE');
    });

    it('should refuse poll before connect and before subscribe', async () => {
      const consumer = new InMemoryKafka().client({ groupId: 'g' }).createConsumer();

      expect(await codeOf(pollNow(consumer))).toBe('ILLEGAL_STATE');
      await consumer.connect();
      await expect(pollNow(consumer)).rejects.toThrow(/call subscribe\(\) before poll\(\)/);
    });

    it('should refuse a second subscribe', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);

      await expect(consumer.subscribe(['u'], noopListener)).rejects.toThrow(/already subscribed/);
      await consumer.close();
    });

    it('should refuse to connect once closed', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
      await consumer.close();

      expect(await codeOf(consumer.connect())).toBe('ILLEGAL_STATE');
      expect(await codeOf(consumer.subscribe(['t'], noopListener))).toBe('ILLEGAL_STATE');
    });

    it('should return nothing at once from a poll after close', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }]);
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await consumer.close();

      await expect(consumer.poll({ maxRecords: 10, timeoutMs: 60_000 })).resolves.toEqual([]);
    });

    it('should refuse a poll while another poll of the same consumer runs', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
      const waiting = consumer.poll({ maxRecords: 10, timeoutMs: 60_000 });

      await expect(pollNow(consumer)).rejects.toThrow(/already polling/);
      await consumer.close();
      await expect(waiting).resolves.toEqual([]);
    });

    it.each([
      [{ maxRecords: 0, timeoutMs: 0 }, 'maxRecords'],
      [{ maxRecords: 1.5, timeoutMs: 0 }, 'maxRecords'],
      [{ maxRecords: 1, timeoutMs: -1 }, 'timeoutMs'],
      [{ maxRecords: 1, timeoutMs: Infinity }, 'timeoutMs'],
      [{ maxRecords: 1, timeoutMs: NaN }, 'timeoutMs'],
      [null, 'poll options'],
    ])('should reject poll options %p with a ConfigError naming %s', async (options, option) => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);

      const error = await consumer.poll(options as never).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
      await consumer.close();
    });

    it.each<[string, unknown, unknown]>([
      ['no topics', [], noopListener],
      ['topics that are not an array', 't', noopListener],
      ['a topic that is not a string', [1], noopListener],
      ['a listener without onRevoked', ['t'], { onAssigned: () => undefined }],
      ['no listener', ['t'], undefined],
    ])('should reject a subscription with %s', async (_what, topics, listener) => {
      const consumer = new InMemoryKafka().client({ groupId: 'g' }).createConsumer();
      await consumer.connect();

      expect(await codeOf(consumer.subscribe(topics as never, listener as never))).toBe(
        'INVALID_ARGUMENT',
      );
    });

    it('should auto-create subscribed topics with defaultPartitions', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 3 });

      const consumer = await startConsumer(kafka, 'g', ['b', 'a', 'b']);

      expect(kafka.topics()).toEqual(['a', 'b']);
      await pollNow(consumer);
      expect(names(consumer.assignment())).toEqual(['a:0', 'a:1', 'a:2', 'b:0', 'b:1', 'b:2']);
      await consumer.close();
    });

    it('should refuse to subscribe to a missing topic when auto-creation is off', async () => {
      const kafka = new InMemoryKafka({ autoCreateTopics: false });
      const consumer = kafka.client({ groupId: 'g' }).createConsumer();
      await consumer.connect();

      expect(await codeOf(consumer.subscribe(['missing'], noopListener))).toBe(
        'UNKNOWN_TOPIC_OR_PARTITION',
      );
      expect(kafka.groupState('g')).toEqual([]);
    });
  });

  describe('assignment', () => {
    it('should run onAssigned during the first poll, before returning records', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      kafka.produce('t', [{ value: 'a', partition: 1 }]);
      const log: ListenerCall[] = [];
      const seenInCallback: string[][] = [];
      const consumer = await startConsumer(
        kafka,
        'g',
        ['t'],
        recordingListener('c', log, {
          onAssigned: async () => {
            seenInCallback.push(names(consumer.assignment()));
            await new Promise((resolve) => setImmediate(resolve));
            log.push({ member: 'c', kind: 'assigned', partitions: ['callback done'] });
          },
        }),
      );

      expect(consumer.assignment()).toEqual([]);
      const records = await pollNow(consumer);

      expect(log).toEqual([
        { member: 'c', kind: 'assigned', partitions: ['t:0', 't:1'] },
        { member: 'c', kind: 'assigned', partitions: ['callback done'] },
      ]);
      expect(seenInCallback).toEqual([['t:0', 't:1']]);
      expect(values(records)).toEqual(['a']);
      await pollNow(consumer);
      expect(log).toHaveLength(2);
      await consumer.close();
    });

    it('should keep the assignment when onAssigned throws, and reject that poll', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }]);
      const consumer = await startConsumer(kafka, 'g', ['t'], {
        onAssigned: () => {
          throw new Error('listener broke');
        },
        onRevoked: () => undefined,
      });

      await expect(pollNow(consumer)).rejects.toThrow('listener broke');
      expect(names(consumer.assignment())).toEqual(['t:0']);
      expect(values(await pollNow(consumer))).toEqual(['a']);
      await consumer.close();
    });
  });

  describe('poll', () => {
    it('should return each record once, in offset order per partition', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      fill(kafka, 't', 0, 5);
      fill(kafka, 't', 1, 5);
      const consumer = await startConsumer(kafka, 'g', ['t']);

      const seen = [];
      for (let i = 0; i < 10; i += 1) seen.push(...(await pollNow(consumer, 3)));

      expect(seen).toHaveLength(10);
      for (const partition of [0, 1]) {
        expect(seen.filter((r) => r.partition === partition).map((r) => r.offset)).toEqual([
          '0',
          '1',
          '2',
          '3',
          '4',
        ]);
      }
      expect(await pollNow(consumer)).toEqual([]);
      await consumer.close();
    });

    it('should return at most maxRecords', async () => {
      const kafka = new InMemoryKafka();
      fill(kafka, 't', 0, 10);
      const consumer = await startConsumer(kafka, 'g', ['t']);

      expect(values(await pollNow(consumer, 4))).toEqual(['p0-0', 'p0-1', 'p0-2', 'p0-3']);
      expect(values(await pollNow(consumer, 4))).toEqual(['p0-4', 'p0-5', 'p0-6', 'p0-7']);
      expect(values(await pollNow(consumer, 4))).toEqual(['p0-8', 'p0-9']);
      await consumer.close();
    });

    it('should share each poll fairly among the partitions that have records', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 3 });
      fill(kafka, 't', 0, 100);
      fill(kafka, 't', 1, 2);
      fill(kafka, 't', 2, 100);
      const consumer = await startConsumer(kafka, 'g', ['t']);

      const first = await pollNow(consumer, 6);
      const second = await pollNow(consumer, 6);

      expect(first.map((r) => r.partition).sort()).toEqual([0, 0, 1, 1, 2, 2]);
      expect(second.map((r) => r.partition).sort()).toEqual([0, 0, 0, 2, 2, 2]);
      await consumer.close();
    });

    it('should rotate a one-record poll through the partitions', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 3 });
      [0, 1, 2].forEach((p) => fill(kafka, 't', p, 3));
      const consumer = await startConsumer(kafka, 'g', ['t']);

      const order = [];
      for (let i = 0; i < 9; i += 1) order.push(...values(await pollNow(consumer, 1)));

      expect(order).toEqual([
        'p0-0',
        'p1-0',
        'p2-0',
        'p0-1',
        'p1-1',
        'p2-1',
        'p0-2',
        'p1-2',
        'p2-2',
      ]);
      await consumer.close();
    });

    it('should not let a partition with a backlog starve one that gets a record later', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      fill(kafka, 't', 0, 1000);
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer, 10);

      kafka.produce('t', [{ value: 'late', partition: 1 }]);
      const next = await pollNow(consumer, 10);

      expect(values(next)).toContain('late');
      await consumer.close();
    });

    it('should return nothing at once when timeoutMs is 0 and nothing is ready', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);

      await expect(pollNow(consumer)).resolves.toEqual([]);
      await consumer.close();
    });

    it('should return nothing when the timeout passes without records', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);

      await expect(consumer.poll({ maxRecords: 10, timeoutMs: 20 })).resolves.toEqual([]);
      await consumer.close();
    });

    it('should wake a waiting poll when a record is produced', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      const waiting = consumer.poll({ maxRecords: 10, timeoutMs: 60_000 });
      await new Promise((resolve) => setImmediate(resolve));

      kafka.produce('t', [{ value: 'hello' }]);

      expect(values(await waiting)).toEqual(['hello']);
      await consumer.close();
    });

    it('should wake a waiting poll when a producer sends', async () => {
      const kafka = new InMemoryKafka();
      const client = kafka.client({ groupId: 'g' });
      const consumer = await startConsumer(kafka, 'g', ['t']);
      const producer = client.createProducer();
      await producer.connect();
      const waiting = consumer.poll({ maxRecords: 10, timeoutMs: 60_000 });

      await producer.send({ topic: 't', key: null, value: Buffer.from('sent') });

      expect(values(await waiting)).toEqual(['sent']);
      await Promise.all([consumer.close(), producer.close()]);
    });

    it('should keep waiting through records of topics it does not read', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      const waiting = consumer.poll({ maxRecords: 10, timeoutMs: 60_000 });

      kafka.produce('other', [{ value: 'not mine' }]);
      await new Promise((resolve) => setImmediate(resolve));
      kafka.produce('t', [{ value: 'mine' }]);

      expect(values(await waiting)).toEqual(['mine']);
      await consumer.close();
    });

    it('should return what it has at once when the signal aborts', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
      const controller = new AbortController();
      const waiting = consumer.poll({
        maxRecords: 10,
        timeoutMs: 60_000,
        signal: controller.signal,
      });

      controller.abort();

      await expect(waiting).resolves.toEqual([]);
      await consumer.close();
    });

    it('should not wait with an already aborted signal, but still return ready records', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      const signal = AbortSignal.abort();

      await expect(consumer.poll({ maxRecords: 10, timeoutMs: 60_000, signal })).resolves.toEqual(
        [],
      );
      kafka.produce('t', [{ value: 'ready' }]);
      expect(values(await consumer.poll({ maxRecords: 10, timeoutMs: 60_000, signal }))).toEqual([
        'ready',
      ]);
      await consumer.close();
    });

    it('should wake a waiting poll when the consumer closes', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
      const waiting = consumer.poll({ maxRecords: 10, timeoutMs: 60_000 });

      await consumer.close();

      await expect(waiting).resolves.toEqual([]);
    });

    it('should start at the end without a committed offset when fromBeginning is false', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'old' }]);
      const consumer = await startConsumer(kafka, 'g', ['t'], noopListener, false);

      expect(await pollNow(consumer)).toEqual([]);
      kafka.produce('t', [{ value: 'new' }]);
      expect(values(await pollNow(consumer))).toEqual(['new']);
      await consumer.close();
    });

    it('should start at the committed offset, whatever fromBeginning says', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
      const first = await startConsumer(kafka, 'g', ['t']);
      await pollNow(first, 1);
      await first.commit([{ topic: 't', partition: 0, offset: '1' }]);
      await first.close();

      const second = await startConsumer(kafka, 'g', ['t'], noopListener, false);

      expect(values(await pollNow(second))).toEqual(['b', 'c']);
      await second.close();
    });

    it('should reset a committed offset past the end as if none were committed', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }]);
      const first = await startConsumer(kafka, 'g', ['t']);
      await pollNow(first);
      await first.commit([{ topic: 't', partition: 0, offset: '50' }]);
      await first.close();

      const second = await startConsumer(kafka, 'g', ['t']);

      expect(values(await pollNow(second))).toEqual(['a']);
      await second.close();
    });
  });

  describe('pause and resume', () => {
    it('should leave paused partitions out of polls and resume from the position', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      fill(kafka, 't', 0, 4);
      fill(kafka, 't', 1, 4);
      const consumer = await startConsumer(kafka, 'g', ['t']);
      expect(values(await pollNow(consumer, 2))).toEqual(['p0-0', 'p1-0']);

      consumer.pause([tp('t', 0)]);
      const whilePaused = [...(await pollNow(consumer)), ...(await pollNow(consumer))];
      consumer.resume([tp('t', 0)]);
      const afterResume = await pollNow(consumer);

      expect(values(whilePaused)).toEqual(['p1-1', 'p1-2', 'p1-3']);
      expect(values(afterResume)).toEqual(['p0-1', 'p0-2', 'p0-3']);
      await consumer.close();
    });

    it('should report paused partitions', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 3 });
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer);

      consumer.pause([tp('t', 2), tp('t', 0)]);

      expect(names(consumer.paused())).toEqual(['t:0', 't:2']);
      expect(kafka.groupState('g')).toEqual([
        {
          memberId: consumer.memberId,
          assignment: [tp('t', 0), tp('t', 1), tp('t', 2)],
          paused: [tp('t', 0), tp('t', 2)],
        },
      ]);
      consumer.resume([tp('t', 0)]);
      expect(names(consumer.paused())).toEqual(['t:2']);
      await consumer.close();
    });

    it('should ignore pausing a partition it does not own', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      consumer.pause([tp('t', 0)]);
      await pollNow(consumer);

      consumer.pause([tp('t', 7), tp('other', 0)]);
      kafka.produce('t', [{ value: 'x' }]);

      expect(consumer.paused()).toEqual([]);
      expect(values(await pollNow(consumer))).toEqual(['x']);
      await consumer.close();
    });

    it('should wake a waiting poll when a partition with records resumes', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer);
      consumer.pause([tp('t', 0)]);
      kafka.produce('t', [{ value: 'held' }]);
      const waiting = consumer.poll({ maxRecords: 10, timeoutMs: 60_000 });
      await new Promise((resolve) => setImmediate(resolve));

      consumer.resume([tp('t', 0)]);

      expect(values(await waiting)).toEqual(['held']);
      await consumer.close();
    });

    it('should reject partitions that are not { topic, partition }', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);

      expect(() => consumer.pause([{ topic: 't' }] as never)).toThrow(/expected \{ topic: string/);
      expect(() => consumer.resume('t' as never)).toThrow(/expected an array/);
      await consumer.close();
    });
  });

  describe('commit', () => {
    it('should write the offsets of owned partitions', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer);

      await consumer.commit([
        { topic: 't', partition: 0, offset: '3' },
        { topic: 't', partition: 1, offset: '0' },
      ]);
      await consumer.commit([{ topic: 't', partition: 0, offset: '1' }]);

      expect(kafka.committedOffsets('g')).toEqual({ t: { 0: '1', 1: '0' } });
      await consumer.close();
    });

    it('should skip offsets of partitions it does not own', async () => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('other', { partitions: 1 });
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer);

      await consumer.commit([
        { topic: 'other', partition: 0, offset: '5' },
        { topic: 't', partition: 3, offset: '5' },
        { topic: 't', partition: 0, offset: '1' },
      ]);

      expect(kafka.committedOffsets('g')).toEqual({ t: { 0: '1' } });
      await consumer.close();
    });

    it('should commit nothing before its first poll assigned partitions', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);

      await consumer.commit([{ topic: 't', partition: 0, offset: '1' }]);

      expect(kafka.committedOffsets('g')).toEqual({});
      await consumer.close();
    });

    it.each(['-1', '1.5', 'abc', '', 7])('should reject the offset %p', async (offset) => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
      await pollNow(consumer);

      expect(await codeOf(consumer.commit([{ topic: 't', partition: 0, offset } as never]))).toBe(
        'INVALID_ARGUMENT',
      );
      await consumer.close();
    });

    it('should refuse to commit once closed', async () => {
      const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
      await pollNow(consumer);
      await consumer.close();

      expect(await codeOf(consumer.commit([{ topic: 't', partition: 0, offset: '1' }]))).toBe(
        'ILLEGAL_STATE',
      );
    });
  });

  describe('close', () => {
    it('should revoke what it owns, letting onRevoked commit, then leave without committing', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      fill(kafka, 't', 0, 3);
      const log: ListenerCall[] = [];
      const consumer = await startConsumer(
        kafka,
        'g',
        ['t'],
        recordingListener('c', log, {
          onRevoked: () => consumer.commit([{ topic: 't', partition: 0, offset: '2' }]),
        }),
      );
      await pollNow(consumer);

      await consumer.close();

      expect(log).toEqual([
        { member: 'c', kind: 'assigned', partitions: ['t:0', 't:1'] },
        { member: 'c', kind: 'revoked', partitions: ['t:0', 't:1'] },
      ]);
      expect(kafka.committedOffsets('g')).toEqual({ t: { 0: '2' } });
      expect(consumer.assignment()).toEqual([]);
      expect(kafka.groupState('g')).toEqual([]);
    });

    it('should not call onRevoked when it owns nothing', async () => {
      const log: ListenerCall[] = [];
      const consumer = await startConsumer(
        new InMemoryKafka(),
        'g',
        ['t'],
        recordingListener('c', log),
      );

      await consumer.close();

      expect(log).toEqual([]);
    });

    it('should be idempotent', async () => {
      const log: ListenerCall[] = [];
      const consumer = await startConsumer(
        new InMemoryKafka(),
        'g',
        ['t'],
        recordingListener('c', log),
      );
      await pollNow(consumer);

      await Promise.all([consumer.close(), consumer.close()]);
      await consumer.close();

      expect(log.filter((c) => c.kind === 'revoked')).toHaveLength(1);
    });

    it('should close a consumer that never subscribed', async () => {
      const consumer = new InMemoryKafka().client({ groupId: 'g' }).createConsumer();

      await expect(consumer.close()).resolves.toBeUndefined();
      expect(consumer.assignment()).toEqual([]);
    });

    it('should leave the group even when onRevoked throws, and reject with its error', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t'], {
        onAssigned: () => undefined,
        onRevoked: () => Promise.reject(new Error('revoke broke')),
      });
      await pollNow(consumer);

      await expect(consumer.close()).rejects.toThrow('revoke broke');
      expect(kafka.groupState('g')).toEqual([]);
      expect(consumer.assignment()).toEqual([]);
    });
  });

  describe('crash', () => {
    it('should leave at once without calling onRevoked', async () => {
      const kafka = new InMemoryKafka();
      const log: ListenerCall[] = [];
      const consumer = await startConsumer(kafka, 'g', ['t'], recordingListener('c', log));
      await pollNow(consumer);

      consumer.crash();
      consumer.crash();
      await consumer.close();

      expect(log.map((c) => c.kind)).toEqual(['assigned']);
      expect(kafka.groupState('g')).toEqual([]);
      expect(await pollNow(consumer)).toEqual([]);
      expect(await codeOf(consumer.commit([{ topic: 't', partition: 0, offset: '1' }]))).toBe(
        'ILLEGAL_STATE',
      );
    });
  });
});
