import { ConfigError } from '../../../lib/errors/config-error';
import { CommitError } from '../../../lib/kafka/client';
import { InMemoryKafka } from '../../../lib/kafka/memory/in-memory-kafka';
import { InjectedFaultError } from '../../../lib/kafka/memory/injected-fault-error';
import { pollNow, startConsumer, tp, values } from './fixtures/kit';

const failure = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );

const connectedProducer = async (kafka: InMemoryKafka) => {
  const producer = kafka.client({ groupId: 'app' }).createProducer();
  await producer.connect();
  return producer;
};

const send = (topic: string, value: string) => ({ topic, key: null, value: Buffer.from(value) });

describe('InMemoryKafka fault injection', () => {
  describe('injectPollErrors', () => {
    it('should fail the next polls with a retriable InjectedFaultError, losing no record', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }]);
      const consumer = await startConsumer(kafka, 'g', ['t']);

      kafka.injectPollErrors(2);
      const errors = [await failure(pollNow(consumer)), await failure(pollNow(consumer))];
      const records = await pollNow(consumer);

      for (const error of errors) {
        expect(error).toBeInstanceOf(InjectedFaultError);
        expect(error).toMatchObject({ name: 'InjectedFaultError', retriable: true, fault: 'poll' });
        expect((error as Error).message).toContain('InMemoryKafka.injectPollErrors');
      }
      expect(values(records)).toEqual(['a']);
      await consumer.close();
    });

    it('should fail polls of any consumer with the given error', async () => {
      const kafka = new InMemoryKafka();
      const one = await startConsumer(kafka, 'one', ['t']);
      const two = await startConsumer(kafka, 'two', ['t']);
      const boom = new Error('broker unreachable');

      kafka.injectPollErrors(2, boom);

      expect(await failure(pollNow(one))).toBe(boom);
      expect(await failure(pollNow(two))).toBe(boom);
      await expect(pollNow(one)).resolves.toEqual([]);
      await Promise.all([one.close(), two.close()]);
    });

    it('should add up faults injected one after another', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      const first = new Error('first');
      const second = new Error('second');

      kafka.injectPollErrors(1, first);
      kafka.injectPollErrors(1, second);

      expect(await failure(pollNow(consumer))).toBe(first);
      expect(await failure(pollNow(consumer))).toBe(second);
      await expect(pollNow(consumer)).resolves.toEqual([]);
      await consumer.close();
    });
  });

  describe('injectProduceErrors', () => {
    it('should fail the next sends: nothing appended, the ack rejects', async () => {
      const kafka = new InMemoryKafka();
      const producer = await connectedProducer(kafka);

      kafka.injectProduceErrors(1);
      const error = await failure(producer.send(send('t', 'lost')));
      const ok = await producer.send(send('t', 'kept'));

      expect(error).toMatchObject({
        name: 'InjectedFaultError',
        fault: 'produce',
        retriable: true,
      });
      expect(ok.offset).toBe('0');
      expect(values(kafka.records('t'))).toEqual(['kept']);
      await producer.close();
    });

    it('should fail only sends to the given topic, with the given error', async () => {
      const kafka = new InMemoryKafka();
      const producer = await connectedProducer(kafka);
      const down = new Error('leader not available');

      kafka.injectProduceErrors(1, { topic: 'payments', error: down });
      await producer.send(send('orders', 'o1'));
      const error = await failure(producer.send(send('payments', 'p1')));
      await producer.send(send('payments', 'p2'));

      expect(error).toBe(down);
      expect(values(kafka.records('orders'))).toEqual(['o1']);
      expect(values(kafka.records('payments'))).toEqual(['p2']);
      await producer.close();
    });

    it('should take a topic and an error given as undefined as not given', async () => {
      const kafka = new InMemoryKafka();
      const producer = await connectedProducer(kafka);

      kafka.injectProduceErrors(1, { topic: undefined, error: undefined });
      const error = await failure(producer.send(send('any-topic', 'lost')));

      expect(error).toBeInstanceOf(InjectedFaultError);
      await producer.close();
    });

    it('should leave InMemoryKafka.produce alone', () => {
      const kafka = new InMemoryKafka();

      kafka.injectProduceErrors(1);
      kafka.produce('t', [{ value: 'direct' }]);

      expect(values(kafka.records('t'))).toEqual(['direct']);
    });
  });

  describe('injectCommitErrors', () => {
    it('should fail the next commits with a CommitError, writing nothing', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer);

      kafka.injectCommitErrors(1);
      const error = await failure(consumer.commit([{ topic: 't', partition: 0, offset: '1' }]));

      expect(error).toBeInstanceOf(CommitError);
      expect((error as CommitError).rebalanceInProgress).toBe(false);
      expect((error as CommitError).cause).toBeInstanceOf(InjectedFaultError);
      expect(kafka.committedOffsets('g')).toEqual({});
      await consumer.commit([{ topic: 't', partition: 0, offset: '1' }]);
      expect(kafka.committedOffsets('g')).toEqual({ t: { 0: '1' } });
      await consumer.close();
    });

    it('should say rebalanceInProgress and carry the given cause', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer);
      const cause = new Error('REBALANCE_IN_PROGRESS');

      kafka.injectCommitErrors(1, { rebalanceInProgress: true, error: cause });
      const error = (await failure(
        consumer.commit([{ topic: 't', partition: 0, offset: '1' }]),
      )) as CommitError;

      expect(error.rebalanceInProgress).toBe(true);
      expect(error.cause).toBe(cause);
      expect(error.message).toContain('REBALANCE_IN_PROGRESS');
      await consumer.close();
    });

    it('should take an error and rebalanceInProgress given as undefined as not given', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);

      kafka.injectCommitErrors(1, { error: undefined, rebalanceInProgress: undefined });
      const error = (await failure(consumer.commit([]))) as CommitError;

      expect(error).toBeInstanceOf(CommitError);
      expect(error.rebalanceInProgress).toBe(false);
      expect(error.cause).toBeInstanceOf(InjectedFaultError);
      await consumer.close();
    });

    it('should use a given CommitError as it is', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      const given = new CommitError('illegal generation', true);

      kafka.injectCommitErrors(1, { error: given });

      expect(await failure(consumer.commit([]))).toBe(given);
      await consumer.close();
    });
  });

  describe('injectConsumerStalls', () => {
    const settled = async (promise: Promise<unknown>, ms = 100): Promise<boolean> =>
      Promise.race([
        promise.then(
          () => true,
          () => true,
        ),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
      ]);

    it('should make the next consumer to poll hang in that poll and every later one, while its lag still answers', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }, { value: 'b' }]);
      const stalled = await startConsumer(kafka, 'g', ['t']);
      const healthy = await startConsumer(kafka, 'other', ['t']);

      kafka.injectConsumerStalls(1);

      expect(await settled(stalled.poll({ maxRecords: 10, timeoutMs: 0 }))).toBe(false);
      expect(values(await pollNow(healthy))).toEqual(['a', 'b']);
      await expect(healthy.lag([tp('t', 0)])).resolves.toEqual([
        { topic: 't', partition: 0, endOffset: '2', position: '2' },
      ]);
      await Promise.all([stalled.close(), healthy.close()]);
    });

    it('should make a consumer in empty mode return no records though records wait, for good', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }]);
      const consumer = await startConsumer(kafka, 'g', ['t']);

      kafka.injectConsumerStalls(1, { mode: 'empty' });
      kafka.produce('t', [{ value: 'b' }]);

      await expect(pollNow(consumer)).resolves.toEqual([]);
      await expect(consumer.poll({ maxRecords: 10, timeoutMs: 20 })).resolves.toEqual([]);
      await expect(consumer.lag([tp('t', 0)])).resolves.toEqual([
        { topic: 't', partition: 0, endOffset: '2', position: '0' },
      ]);
      await consumer.close();
      const next = await startConsumer(kafka, 'g', ['t']);
      expect(values(await pollNow(next))).toEqual(['a', 'b']);
      await next.close();
    });

    it('should take a mode given as undefined as the default, hang', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'a' }]);
      const consumer = await startConsumer(kafka, 'g', ['t']);

      kafka.injectConsumerStalls(1, { mode: undefined });

      expect(await settled(consumer.poll({ maxRecords: 10, timeoutMs: 0 }))).toBe(false);
      await consumer.close();
    });

    it('should answer lag only for assigned partitions, and refuse what is not a partition list', async () => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('t', { partitions: 2 });
      const consumer = await startConsumer(kafka, 'g', ['t']);
      await pollNow(consumer);

      await expect(consumer.lag([tp('t', 1), tp('elsewhere', 0)])).resolves.toEqual([
        { topic: 't', partition: 1, endOffset: '0', position: '0' },
      ]);
      await expect(consumer.lag('t' as never)).rejects.toThrow(/lag: expected an array/);
      await consumer.close();
    });

    it.each([
      [-1, {}, /count: must be an integer >= 0, got -1/],
      [1, { mode: 'slow' }, /mode: must be 'hang' or 'empty', got "slow"/],
    ])('should refuse count %p with %j, naming the option', (count, options, message) => {
      expect(() => new InMemoryKafka().injectConsumerStalls(count, options as never)).toThrow(
        message,
      );
    });
  });

  describe('clearFaults', () => {
    it('should drop every pending fault', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);
      const producer = await connectedProducer(kafka);
      kafka.injectPollErrors(5);
      kafka.injectProduceErrors(5);
      kafka.injectCommitErrors(5);
      kafka.injectConsumerStalls(5);

      kafka.clearFaults();

      await expect(pollNow(consumer)).resolves.toEqual([]);
      await expect(producer.send(send('t', 'v'))).resolves.toMatchObject({ offset: '0' });
      await expect(
        consumer.commit([{ topic: 't', partition: 0, offset: '1' }]),
      ).resolves.toBeUndefined();
      await Promise.all([consumer.close(), producer.close()]);
    });
  });

  describe('arguments', () => {
    it.each([-1, 1.5, NaN])('should reject the count %p with a ConfigError', (count) => {
      const kafka = new InMemoryKafka();

      for (const inject of [
        () => kafka.injectPollErrors(count),
        () => kafka.injectProduceErrors(count),
        () => kafka.injectCommitErrors(count),
      ]) {
        expect(inject).toThrow(ConfigError);
      }
    });

    it('should do nothing for a count of 0', async () => {
      const kafka = new InMemoryKafka();
      const consumer = await startConsumer(kafka, 'g', ['t']);

      kafka.injectPollErrors(0);

      await expect(pollNow(consumer)).resolves.toEqual([]);
      await consumer.close();
    });

    it.each([-1, Infinity, '5'])('should reject the produce latency %p', (ms) => {
      const error = (() => {
        try {
          new InMemoryKafka().setProduceLatency(ms as number);
        } catch (e) {
          return e;
        }
        return undefined;
      })();

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe('produceLatencyMs');
    });
  });
});
