import { CommitError, type RebalanceListener } from '../../../lib/kafka/client';
import { ConsumerCrashedError } from '../../../lib/kafka/kafkajs/consumer-crashed-error';
import { ConsumerRetiredError } from '../../../lib/kafka/kafkajs/consumer-retirement';
import { KafkajsConsumer } from '../../../lib/kafka/kafkajs/kafkajs-consumer';
import { noopLogger } from '../../../lib/logger/logger';
import type { RawRecord, TopicPartition } from '../../../lib/record/stream-record';
import { FakeKafkajsAdmin, FakeKafkajsConsumer } from './fake-kafkajs-consumer';

const tp = (partition: number, topic = 't'): TopicPartition => ({ topic, partition });
const ids = (records: readonly RawRecord[]): string[] =>
  records.map((r) => `${r.partition}@${r.offset}`);

interface Recorded extends RebalanceListener {
  readonly log: string[];
}

const listener = (onEvent: (line: string) => void = () => undefined): Recorded => {
  const log: string[] = [];
  const write = (kind: string, partitions: readonly TopicPartition[]): void => {
    const line = `${kind} ${partitions.map((p) => `${p.topic}-${p.partition}`).join(',')}`;
    log.push(line);
    onEvent(line);
  };
  return {
    log,
    onAssigned: (partitions) => write('assigned', partitions),
    onRevoked: (partitions) => write('revoked', partitions),
  };
};

describe('KafkajsConsumer', () => {
  let fake: FakeKafkajsConsumer;
  let consumer: KafkajsConsumer;
  let events: Recorded;

  const make = async (
    maxQueuedRecords = 1000,
    on: Partial<RebalanceListener> = {},
    revokeTimeoutMs = 60_000,
    heartbeatIntervalMs?: number,
  ): Promise<void> => {
    fake = new FakeKafkajsConsumer();
    consumer = new KafkajsConsumer(fake.asKafkajs(), {
      groupId: 'g',
      fromBeginning: true,
      maxQueuedRecords,
      heartbeatEveryMs: 5,
      revokeTimeoutMs,
      heartbeatIntervalMs,
      logger: noopLogger,
    });
    events = listener();
    await consumer.subscribe(['t'], {
      onAssigned: async (partitions) => {
        await events.onAssigned(partitions);
        await on.onAssigned?.(partitions);
      },
      onRevoked: async (partitions) => {
        await events.onRevoked(partitions);
        await on.onRevoked?.(partitions);
      },
    });
  };

  const poll = (maxRecords = 100, timeoutMs = 0) => consumer.poll({ maxRecords, timeoutMs });

  beforeEach(() => make());

  describe('poll', () => {
    it('should await onAssigned before returning records of the assigned partitions', async () => {
      let assignedDone = false;
      const c = new KafkajsConsumer(fake.asKafkajs(), {
        groupId: 'g',
        fromBeginning: true,
        maxQueuedRecords: 10,
        logger: noopLogger,
      });
      await c.subscribe(['t'], {
        onRevoked: () => undefined,
        onAssigned: async () => {
          await new Promise((r) => setTimeout(r, 10));
          assignedDone = true;
        },
      });
      fake.join({ t: [0] });
      await fake.batch('t', 0, [5]).done;

      const records = await c.poll({ maxRecords: 10, timeoutMs: 0 });

      expect(assignedDone).toBe(true);
      expect(ids(records)).toEqual(['0@5']);
      expect(c.assignment()).toEqual([tp(0)]);
    });

    it('should return queued records in offset order per partition, converted', async () => {
      fake.join({ t: [0, 1] });
      await fake.batch('t', 0, [0, 1, 2]).done;
      await fake.batch('t', 1, [7]).done;

      const records = await poll();

      expect(events.log).toEqual(['assigned t-0,t-1']);
      expect(ids(records.filter((r) => r.partition === 0))).toEqual(['0@0', '0@1', '0@2']);
      expect(ids(records.filter((r) => r.partition === 1))).toEqual(['1@7']);
      expect(records[0]).toEqual({
        topic: 't',
        partition: 0,
        offset: '0',
        timestamp: 1000,
        key: Buffer.from('k0'),
        value: Buffer.from('v0'),
        headers: {},
      });
    });

    it('should return at most maxRecords and keep the rest for the next poll', async () => {
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0, 1, 2, 3]).done;
      expect(ids(await poll(3))).toEqual(['0@0', '0@1', '0@2']);
      expect(ids(await poll(3))).toEqual(['0@3']);
    });

    it('should wait up to timeoutMs and return as soon as records arrive', async () => {
      fake.join({ t: [0] });
      const polled = poll(100, 60_000);
      await new Promise((r) => setTimeout(r, 10));
      await fake.batch('t', 0, [0]).done;
      expect(ids(await polled)).toEqual(['0@0']);
    });

    it('should return nothing when the timeout passes or the signal aborts', async () => {
      fake.join({ t: [0] });
      expect(await consumer.poll({ maxRecords: 10, timeoutMs: 20 })).toEqual([]);
      const controller = new AbortController();
      const polled = consumer.poll({
        maxRecords: 10,
        timeoutMs: 60_000,
        signal: controller.signal,
      });
      controller.abort();
      expect(await polled).toEqual([]);
    });

    it('should reject bad arguments and a poll before subscribe', async () => {
      await expect(poll(0)).rejects.toThrow(/maxRecords/);
      await expect(poll(1, -1)).rejects.toThrow(/timeoutMs/);
      const fresh = new KafkajsConsumer(new FakeKafkajsConsumer().asKafkajs(), {
        groupId: 'g',
        fromBeginning: true,
        maxQueuedRecords: 10,
        logger: noopLogger,
      });
      await expect(fresh.poll({ maxRecords: 1, timeoutMs: 0 })).rejects.toThrow(/before subscribe/);
    });

    it('should refuse a second subscribe', async () => {
      await expect(consumer.subscribe(['u'], listener())).rejects.toThrow(/already/);
    });

    it('should resolve the fetch position to the last record of the batch', async () => {
      fake.join({ t: [0] });
      const run = fake.batch('t', 0, [3, 4, 5]);
      await run.done;
      expect(run.resolved).toEqual(['5']);
    });
  });

  describe('rebalance', () => {
    it('should report revoked = old - new, then assigned = new - old, in one poll', async () => {
      fake.join({ t: [0, 1] });
      await poll();
      fake.join({ t: [1, 2] });
      await poll();
      expect(events.log).toEqual(['assigned t-0,t-1', 'revoked t-0', 'assigned t-2']);
      expect(consumer.assignment()).toEqual([tp(1), tp(2)]);
    });

    it('should report several rejoins in the order they happened', async () => {
      fake.join({ t: [0] });
      fake.join({ t: [] });
      fake.join({ t: [0] });
      await poll();
      expect(events.log).toEqual(['assigned t-0', 'revoked t-0', 'assigned t-0']);
    });

    it('should still own a revoked partition while onRevoked runs', async () => {
      let during: readonly TopicPartition[] = [];
      const c = new KafkajsConsumer(fake.asKafkajs(), {
        groupId: 'g',
        fromBeginning: true,
        maxQueuedRecords: 10,
        logger: noopLogger,
      });
      await c.subscribe(['t'], {
        onAssigned: () => undefined,
        onRevoked: () => {
          during = c.assignment();
        },
      });
      fake.join({ t: [0] });
      await c.poll({ maxRecords: 1, timeoutMs: 0 });
      fake.join({ t: [] });
      await c.poll({ maxRecords: 1, timeoutMs: 0 });
      expect(during).toEqual([tp(0)]);
      expect(c.assignment()).toEqual([]);
    });

    it('should move a retained partition past what was handed over and deliver nothing twice', async () => {
      fake.join({ t: [0, 1] });
      await fake.batch('t', 0, [0, 1, 2]).done;
      expect(ids(await poll(2))).toEqual(['0@0', '0@1']);

      fake.join({ t: [0] });
      // kafkajs restarts from the committed offset (none): the batch repeats offsets 0-2.
      await fake.batch('t', 0, [0, 1, 2, 3]).done;

      expect(fake.calls).toContainEqual({
        method: 'seek',
        args: { topic: 't', partition: 0, offset: '3' },
      });
      expect(ids(await poll())).toEqual(['0@2', '0@3']);
    });

    it('should resolve a repeated batch to the position already handed over', async () => {
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0, 1, 2, 3, 4]).done;
      const again = fake.batch('t', 0, [0, 1]);
      await again.done;
      expect(again.resolved).toEqual(['4']);
    });

    it('should drop the queued records of a revoked partition', async () => {
      fake.join({ t: [0, 1] });
      await fake.batch('t', 0, [0, 1]).done;
      await fake.batch('t', 1, [0, 1]).done;
      fake.join({ t: [1] });
      expect(ids(await poll())).toEqual(['1@0', '1@1']);
      fake.join({ t: [0, 1] });
      expect(await poll()).toEqual([]);
    });

    it('should not seek a retained partition that handed nothing over', async () => {
      fake.join({ t: [0] });
      fake.join({ t: [0, 1] });
      expect(fake.calls.filter((c) => c.method === 'seek')).toEqual([]);
    });

    it('should ignore a batch of a partition it no longer owns, or a stale one', async () => {
      fake.join({ t: [0] });
      const notOwned = fake.batch('t', 1, [0]);
      await notOwned.done;
      const stale = fake.batch('t', 0, [0], true);
      await stale.done;
      expect(notOwned.resolved).toEqual([]);
      expect(stale.resolved).toEqual([]);
      expect(await poll()).toEqual([]);
    });

    it('should start a re-assigned partition unpaused', async () => {
      fake.join({ t: [0] });
      await poll();
      consumer.pause([tp(0)]);
      fake.join({ t: [] });
      fake.join({ t: [0] });
      await poll();
      await fake.batch('t', 0, [0]).done;
      expect(ids(await poll())).toEqual(['0@0']);
    });
    it('should forget a pause made for the old ownership of a partition assigned again', async () => {
      fake.join({ t: [0] });
      await poll();
      fake.join({ t: [] });
      fake.join({ t: [0] });
      consumer.pause([tp(0)]);
      await poll();
      await fake.batch('t', 0, [0]).done;
      expect(ids(await poll())).toEqual(['0@0']);
      expect(events.log).toEqual(['assigned t-0', 'revoked t-0', 'assigned t-0']);
    });
  });

  describe('revocation on a heartbeat inside eachBatch', () => {
    const rebalancing = (): Error =>
      Object.assign(new Error('The group is rebalancing, so a rejoin is needed'), {
        type: 'REBALANCE_IN_PROGRESS',
      });

    /** Follows a promise without awaiting it. */
    const watch = (p: Promise<unknown>): { settled: boolean; error: unknown } => {
      const state: { settled: boolean; error: unknown } = { settled: false, error: undefined };
      p.then(
        () => (state.settled = true),
        (e: unknown) => {
          state.settled = true;
          state.error = e;
        },
      );
      return state;
    };

    const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

    /** A poll once eachBatch has had the time to see the heartbeat fail. */
    const pollSoon = async (): Promise<readonly RawRecord[]> => {
      await tick();
      return poll();
    };

    it('should report every owned partition revoked in the next poll and hold eachBatch until onRevoked returns', async () => {
      const order: string[] = [];
      let release!: () => void;
      const revokedMayReturn = new Promise<void>((r) => (release = r));
      await make(1000, {
        onRevoked: async () => {
          order.push('onRevoked started');
          await revokedMayReturn;
          order.push('onRevoked returned');
        },
      });
      fake.join({ t: [0, 1] });
      await fake.batch('t', 0, [0, 1]).done;
      expect(ids(await poll())).toEqual(['0@0', '0@1']);
      const error = rebalancing();
      fake.heartbeatError = error;

      // A poll already waiting for records (the batch repeats offsets handed over, so it
      // brings none) is woken to report the revocation.
      const stopPolling = new AbortController();
      const polled = consumer.poll({
        maxRecords: 100,
        timeoutMs: 60_000,
        signal: stopPolling.signal,
      });
      const run = fake.batch('t', 0, [0, 1]);
      const held = watch(run.done.catch((e: unknown) => order.push('eachBatch threw') && e));
      await tick();
      expect(order).toEqual(['onRevoked started']);
      expect(held.settled).toBe(false);

      release();
      await expect(run.done).rejects.toBe(error);
      stopPolling.abort();
      expect(await polled).toEqual([]);
      expect(order).toEqual(['onRevoked started', 'onRevoked returned', 'eachBatch threw']);
      expect(events.log).toEqual(['assigned t-0,t-1', 'revoked t-0,t-1']);
      expect(consumer.assignment()).toEqual([]);
    });

    it('should still own the partitions while onRevoked runs, and send the commits made there', async () => {
      let during: readonly TopicPartition[] = [];
      await make(1000, {
        onRevoked: async (partitions) => {
          during = consumer.assignment();
          await consumer.commit(partitions.map((p) => ({ ...p, offset: '2' })));
        },
      });
      fake.join({ t: [0, 1] });
      await fake.batch('t', 0, [0, 1]).done;
      expect(ids(await poll())).toEqual(['0@0', '0@1']);
      fake.heartbeatError = rebalancing();

      const run = fake.batch('t', 1, [0]);
      await pollSoon();
      await expect(run.done).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });

      expect(during).toEqual([tp(0), tp(1)]);
      expect(fake.commits).toEqual([
        [
          { topic: 't', partition: 0, offset: '2' },
          { topic: 't', partition: 1, offset: '2' },
        ],
      ]);
    });

    it('should hand out no record of the revoked partitions, queued or new', async () => {
      await make();
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0, 1]).done;
      expect(ids(await poll(1))).toEqual(['0@0']);
      fake.heartbeatError = rebalancing();

      const run = fake.batch('t', 0, [2, 3]);
      expect(await pollSoon()).toEqual([]);
      await expect(run.done).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
      const another = fake.batch('t', 0, [4]);
      await expect(another.done).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
      expect(another.resolved).toEqual([]);
      expect(await poll()).toEqual([]);
    });

    it('should report the whole new assignment as assigned after the rejoin, from the committed offset, without seeking', async () => {
      await make();
      fake.join({ t: [0, 1] });
      await fake.batch('t', 0, [0, 1, 2, 3, 4]).done;
      expect(ids(await poll())).toEqual(['0@0', '0@1', '0@2', '0@3', '0@4']);
      fake.heartbeatError = rebalancing();
      const run = fake.batch('t', 1, [0]);
      await pollSoon();
      await expect(run.done).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });

      fake.heartbeatError = undefined;
      fake.join({ t: [0] });
      // The runner committed 3 in onRevoked: kafkajs restarts partition 0 there.
      const again = fake.batch('t', 0, [3, 4, 5]);
      await again.done;

      expect(ids(await poll())).toEqual(['0@3', '0@4', '0@5']);
      expect(again.resolved).toEqual(['5']);
      expect(events.log).toEqual(['assigned t-0,t-1', 'revoked t-0,t-1', 'assigned t-0']);
      expect(fake.calls.filter((c) => c.method === 'seek')).toEqual([]);
    });

    it('should hold the rejoin from a heartbeat of the backpressure wait too', async () => {
      await make(1);
      fake.join({ t: [0] });
      await poll();
      const run = fake.batch('t', 0, [0, 1, 2]);
      await tick();
      fake.heartbeatError = rebalancing();
      await tick();
      const held = watch(run.done);
      expect(held.settled).toBe(false);

      expect(await pollSoon()).toEqual([]);
      await expect(run.done).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
      expect(events.log).toEqual(['assigned t-0', 'revoked t-0']);
    });

    it('should heartbeat while it waits, and throw a heartbeat error other than a rebalance at once', async () => {
      await make();
      fake.join({ t: [0] });
      await poll();
      fake.heartbeatError = rebalancing();
      const run = fake.batch('t', 0, [0]);
      await tick(50);
      expect(run.heartbeats()).toBeGreaterThan(1);

      const gone = Object.assign(new Error('unknown member'), { type: 'UNKNOWN_MEMBER_ID' });
      fake.heartbeatError = gone;
      await expect(run.done).rejects.toBe(gone);
    });

    it('should throw other heartbeat errors on without revoking anything', async () => {
      await make();
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0]).done;
      const error = Object.assign(new Error('illegal generation'), { type: 'ILLEGAL_GENERATION' });
      fake.heartbeatError = error;

      await expect(fake.batch('t', 0, [1]).done).rejects.toBe(error);
      expect(ids(await poll())).toEqual(['0@0', '0@1']);
      expect(events.log).toEqual(['assigned t-0']);
    });

    it('should give up waiting after revokeTimeoutMs, then report the revocation before the new assignment', async () => {
      await make(1000, {}, 20);
      fake.join({ t: [0, 1] });
      await poll();
      fake.heartbeatError = rebalancing();
      await expect(fake.batch('t', 0, [0]).done).rejects.toMatchObject({
        type: 'REBALANCE_IN_PROGRESS',
      });

      fake.heartbeatError = undefined;
      fake.join({ t: [1] });
      await poll();
      expect(events.log).toEqual(['assigned t-0,t-1', 'revoked t-0,t-1', 'assigned t-1']);
    });

    it('should skip commits of a late onRevoked for partitions it lost in the rejoin', async () => {
      await make(
        1000,
        {
          onRevoked: (partitions) =>
            consumer.commit(partitions.map((p) => ({ ...p, offset: '9' }))),
        },
        20,
      );
      fake.join({ t: [0, 1] });
      await poll();
      fake.heartbeatError = rebalancing();
      await expect(fake.batch('t', 0, [0]).done).rejects.toBeDefined();
      fake.join({ t: [1] });
      await poll();
      expect(fake.commits).toEqual([[{ topic: 't', partition: 1, offset: '9' }]]);
    });

    it('should stop waiting, without throwing, when the consumer closes', async () => {
      await make();
      fake.join({ t: [0] });
      await poll();
      fake.heartbeatError = rebalancing();
      const run = fake.batch('t', 0, [0]);
      await tick();
      await consumer.close();
      await expect(run.done).resolves.toBeUndefined();
    });

    it('should revoke nothing twice when kafkajs crashes during the revocation', async () => {
      await make(1000, {}, 20);
      fake.join({ t: [0] });
      await poll();
      fake.heartbeatError = rebalancing();
      await expect(fake.batch('t', 0, [0]).done).rejects.toBeDefined();
      fake.crash(new Error('broker gone'), true);
      await expect(poll()).rejects.toBeInstanceOf(ConsumerCrashedError);
      expect(events.log).toEqual(['assigned t-0', 'revoked t-0']);
    });

    it('should send a heartbeat falling due between batches and revoke on the rebalance it reports', async () => {
      await make(1000, {}, 60_000, 20);
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0]).done;
      expect(fake.heartbeatLog).toEqual(['ok']);
      fake.heartbeatError = rebalancing();
      // No batch runs: the heartbeat due 20 ms after the last one is sent all the same.
      await tick(60);
      expect(fake.heartbeatLog).toEqual(['ok', 'failed']);

      expect(await poll()).toEqual([]);
      expect(events.log).toEqual(['assigned t-0', 'revoked t-0']);
      // The next batch kafkajs hands over before it rejoins is refused.
      const next = fake.batch('t', 0, [1]);
      await expect(next.done).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
      expect(next.resolved).toEqual([]);
    });

    it('should hold a batch arriving while that revocation still runs', async () => {
      let release!: () => void;
      const revokedMayReturn = new Promise<void>((r) => (release = r));
      await make(1000, { onRevoked: () => revokedMayReturn }, 60_000, 20);
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0]).done;
      fake.heartbeatError = rebalancing();
      await tick(60);
      const polled = poll();
      const run = fake.batch('t', 0, [1]);
      const held = watch(run.done);
      await tick();
      expect(held.settled).toBe(false);
      release();
      await polled;
      await expect(run.done).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
    });

    it('should not heartbeat between batches without the heartbeat interval, or after close', async () => {
      await make(1000, {}, 60_000);
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0]).done;
      await tick(60);
      expect(fake.heartbeatLog).toEqual(['ok']);

      await make(1000, {}, 60_000, 20);
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0]).done;
      await consumer.close();
      await tick(60);
      expect(fake.heartbeatLog).toEqual(['ok']);
    });

    it('should keep the GROUP_JOIN diff for a rebalance kafkajs noticed itself', async () => {
      await make();
      fake.join({ t: [0, 1] });
      await fake.batch('t', 0, [0, 1]).done;
      expect(ids(await poll())).toEqual(['0@0', '0@1']);
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0, 1, 2]).done;
      expect(ids(await poll())).toEqual(['0@2']);
      expect(events.log).toEqual(['assigned t-0,t-1', 'revoked t-1']);
      expect(fake.heartbeatLog).not.toContain('failed');
    });
  });

  describe('pause and resume', () => {
    it("should keep a paused partition's queued records until resume, then return them in order", async () => {
      fake.join({ t: [0, 1] });
      expect(await poll()).toEqual([]);
      await fake.batch('t', 0, [0, 1]).done;
      await fake.batch('t', 1, [0]).done;
      consumer.pause([tp(0)]);

      expect(ids(await poll())).toEqual(['1@0']);
      consumer.resume([tp(0)]);
      expect(ids(await poll())).toEqual(['0@0', '0@1']);
      expect(fake.calls.map((c) => c.method)).toEqual(['pause', 'resume']);
      expect(fake.calls[0]).toEqual({ method: 'pause', args: [{ topic: 't', partitions: [0] }] });
    });

    it('should leave a batch of a paused partition unresolved so kafkajs fetches it again', async () => {
      fake.join({ t: [0] });
      await poll();
      consumer.pause([tp(0)]);
      const run = fake.batch('t', 0, [0, 1]);
      await run.done;
      expect(run.resolved).toEqual([]);
      consumer.resume([tp(0)]);
      expect(await poll()).toEqual([]);
    });

    it('should ignore partitions it does not own or has not reported yet', async () => {
      fake.join({ t: [0] });
      consumer.pause([tp(0)]);
      await poll();
      consumer.pause([tp(5)]);
      consumer.resume([tp(5)]);
      expect(fake.calls).toEqual([]);
    });

    it('should keep a retained partition paused across a rejoin', async () => {
      fake.join({ t: [0] });
      await poll();
      consumer.pause([tp(0)]);
      fake.join({ t: [0, 1] });
      await poll();
      await fake.batch('t', 0, [0]).done;
      expect(await poll()).toEqual([]);
    });

    it('should clear the pause of a revoked partition in kafkajs', async () => {
      fake.join({ t: [0] });
      await poll();
      consumer.pause([tp(0)]);
      fake.join({ t: [] });
      expect(fake.calls).toEqual([
        { method: 'pause', args: [{ topic: 't', partitions: [0] }] },
        { method: 'resume', args: [{ topic: 't', partitions: [0] }] },
      ]);
    });
  });

  describe('backpressure', () => {
    it('should hold eachBatch while more than maxQueuedRecords wait, heartbeating, until poll takes some', async () => {
      await make(2);
      fake.join({ t: [0] });
      const run = fake.batch('t', 0, [0, 1, 2, 3]);
      let returned = false;
      void run.done.then(() => {
        returned = true;
      });
      await new Promise((r) => setTimeout(r, 30));
      expect(returned).toBe(false);
      expect(run.heartbeats()).toBeGreaterThan(0);

      expect(ids(await poll(2))).toEqual(['0@0', '0@1']);
      await run.done;
      expect(returned).toBe(true);
    });

    it('should release a held eachBatch when the partition is paused, revoked or the consumer closes', async () => {
      await make(1);
      fake.join({ t: [0, 1, 2] });
      await poll();
      const paused = fake.batch('t', 0, [0, 1]);
      consumer.pause([tp(0)]);
      await paused.done;

      const revoked = fake.batch('t', 1, [0, 1]);
      fake.join({ t: [2] });
      await revoked.done;

      const closing = fake.batch('t', 2, [0, 1]);
      await consumer.close();
      await closing.done;
      expect(fake.disconnected).toBe(true);
    });
  });

  describe('commit', () => {
    it('should commit only partitions in the current assignment', async () => {
      fake.join({ t: [0] });
      await consumer.commit([
        { topic: 't', partition: 0, offset: '5' },
        { topic: 't', partition: 1, offset: '7' },
      ]);
      await consumer.commit([{ topic: 't', partition: 1, offset: '7' }]);
      expect(fake.commits).toEqual([[{ topic: 't', partition: 0, offset: '5' }]]);
    });

    it('should skip a partition kafkajs revoked even before onRevoked is reported', async () => {
      fake.join({ t: [0] });
      await poll();
      fake.join({ t: [] });
      await consumer.commit([{ topic: 't', partition: 0, offset: '5' }]);
      expect(fake.commits).toEqual([]);
    });

    it('should reject with a rebalance CommitError when the group is rebalancing', async () => {
      fake.join({ t: [0] });
      fake.commitError = new Error('wrapped', {
        cause: Object.assign(new Error('The group is rebalancing'), {
          type: 'REBALANCE_IN_PROGRESS',
        }),
      });
      const failed = consumer.commit([{ topic: 't', partition: 0, offset: '5' }]);
      await expect(failed).rejects.toBeInstanceOf(CommitError);
      await expect(failed).rejects.toMatchObject({ rebalanceInProgress: true });
    });

    it('should reject with a plain CommitError for other failures', async () => {
      fake.join({ t: [0] });
      fake.commitError = new Error('disk on fire');
      await expect(
        consumer.commit([{ topic: 't', partition: 0, offset: '5' }]),
      ).rejects.toMatchObject({
        name: 'CommitError',
        rebalanceInProgress: false,
        message: expect.stringContaining('disk on fire'),
      });
    });
  });

  describe('crash', () => {
    it('should reject the next poll once after a crash kafkajs recovers from, and revoke everything', async () => {
      fake.join({ t: [0] });
      await fake.batch('t', 0, [0]).done;
      expect(ids(await poll())).toEqual(['0@0']);
      await fake.batch('t', 0, [1]).done;
      fake.crash(new Error('broker gone'), true);

      const failed = poll();
      await expect(failed).rejects.toBeInstanceOf(ConsumerCrashedError);
      await expect(failed).rejects.toMatchObject({ restart: true });
      expect(events.log).toEqual(['assigned t-0', 'revoked t-0']);
      expect(consumer.assignment()).toEqual([]);

      fake.join({ t: [0] });
      await fake.batch('t', 0, [1]).done;
      expect(ids(await poll())).toEqual(['0@1']);
      expect(events.log).toEqual(['assigned t-0', 'revoked t-0', 'assigned t-0']);
    });

    it('should reject every poll after a crash kafkajs does not recover from', async () => {
      fake.join({ t: [0] });
      fake.crash(new Error('not authorized'), false);
      await expect(poll()).rejects.toMatchObject({ name: 'ConsumerCrashedError', restart: false });
      await expect(poll()).rejects.toMatchObject({ name: 'ConsumerCrashedError', restart: false });
    });
  });

  describe('close', () => {
    it('should disconnect kafkajs once and make a waiting poll return', async () => {
      fake.join({ t: [0] });
      const polled = poll(10, 60_000);
      await Promise.all([consumer.close(), consumer.close()]);
      expect(await polled).toEqual([]);
      expect(fake.disconnected).toBe(true);
    });

    // kafkajs's disconnect() leaves a runner that was starting (or a crash's restart) running:
    // it joins the group and fetches for a consumer nobody polls (consumer-retirement.ts).
    it('should make a runner that still runs after close crash for good, non-retriable, handing nothing over', async () => {
      fake.join({ t: [0] });
      await poll();
      await consumer.close();
      fake.running = true; // a runner disconnect() did not stop
      fake.join({ t: [0, 1] });
      const run = fake.batch('t', 1, [0, 1]);
      await expect(run.done).rejects.toBeInstanceOf(ConsumerRetiredError);
      await expect(run.done).rejects.toMatchObject({ retriable: false, groupId: 'g' });
      expect(run.resolved).toEqual([]);
      expect(run.heartbeats()).toBe(0);
    });

    it('should return from a batch of the runner that close() stopped, without throwing', async () => {
      fake.join({ t: [0] });
      await poll();
      await consumer.close();
      const run = fake.batch('t', 0, [0, 1]);
      await run.done;
      expect(run.resolved).toEqual([]);
    });

    it('should resume its paused partitions at close, so a runner left running fetches them and stops', async () => {
      fake.join({ t: [0, 1] });
      await poll();
      consumer.pause([tp(0)]);
      fake.calls.length = 0;
      await consumer.close();
      expect(fake.calls).toEqual([{ method: 'resume', args: [{ topic: 't', partitions: [0] }] }]);
    });

    it('should warn when the closed consumer joins its group again', async () => {
      const warnings: { message: string; fields: unknown }[] = [];
      fake = new FakeKafkajsConsumer();
      consumer = new KafkajsConsumer(fake.asKafkajs(), {
        groupId: 'g',
        fromBeginning: true,
        maxQueuedRecords: 10,
        logger: { ...noopLogger, warn: (message, fields) => warnings.push({ message, fields }) },
      });
      await consumer.subscribe(['t'], listener());
      fake.join({ t: [0] });
      expect(warnings).toEqual([]);
      await consumer.close();
      fake.join({ t: [0, 1] });
      expect(warnings).toEqual([
        {
          message: expect.stringMatching(/closed kafkajs consumer joined its group again/),
          fields: expect.objectContaining({ groupId: 'g', memberAssignment: { t: [0, 1] } }),
        },
      ]);
    });
  });

  describe('lag', () => {
    let admin: FakeKafkajsAdmin;
    const makeWithAdmin = async (fromBeginning = true): Promise<void> => {
      fake = new FakeKafkajsConsumer();
      admin = new FakeKafkajsAdmin();
      consumer = new KafkajsConsumer(fake.asKafkajs(), {
        groupId: 'g',
        fromBeginning,
        maxQueuedRecords: 1000,
        heartbeatEveryMs: 5,
        createAdmin: () => admin.asKafkajs(),
        logger: noopLogger,
      });
      await consumer.subscribe(['t'], listener());
      fake.join({ t: [0, 1, 2] });
      await poll();
    };

    it('should place each partition at the next record poll returns: queued, else handed over, else committed, else the start', async () => {
      await makeWithAdmin();
      for (const p of [0, 1, 2, 3]) admin.ends.set(p, { high: 50, low: 5 });
      admin.committed.set(2, 20);
      await fake.batch('t', 0, [10, 11, 12]).done; // queued, not polled
      await fake.batch('t', 1, [30, 31]).done;
      await consumer.poll({ maxRecords: 100, timeoutMs: 0 }); // takes 0's and 1's records
      await fake.batch('t', 0, [13, 14]).done; // queued again

      const lag = await consumer.lag([tp(0), tp(1), tp(2), tp(3)]);

      expect(lag).toEqual([
        { topic: 't', partition: 0, endOffset: '50', position: '13' },
        { topic: 't', partition: 1, endOffset: '50', position: '32' },
        { topic: 't', partition: 2, endOffset: '50', position: '20' },
      ]);
      expect(admin.asked).toEqual(['end t', 'committed g t']);
    });

    it('should start a partition without a commit at the log start with fromBeginning, else at its end', async () => {
      await makeWithAdmin(false);
      admin.ends.set(0, { high: 9, low: 3 });
      await expect(consumer.lag([tp(0)])).resolves.toEqual([
        { topic: 't', partition: 0, endOffset: '9', position: '9' },
      ]);
      await consumer.close();
      await makeWithAdmin(true);
      admin.ends.set(0, { high: 9, low: 3 });
      await expect(consumer.lag([tp(0)])).resolves.toEqual([
        { topic: 't', partition: 0, endOffset: '9', position: '3' },
      ]);
    });

    it('should move past a batch kafkajs filtered empty (a transaction marker), so it is not counted as lag', async () => {
      await makeWithAdmin();
      admin.ends.set(0, { high: 8, low: 0 });
      await fake.batch('t', 0, [5, 6]).done;
      await poll();
      fake.filteredBatch('t', 0, 7);
      await expect(consumer.lag([tp(0)])).resolves.toEqual([
        { topic: 't', partition: 0, endOffset: '8', position: '8' },
      ]);
    });

    it('should connect its admin once, try again after a failed connect, and disconnect it on close', async () => {
      await makeWithAdmin();
      admin.ends.set(0, { high: 1, low: 0 });
      admin.failConnect = true;
      await expect(consumer.lag([tp(0)])).rejects.toThrow(/ECONNREFUSED/);
      admin.failConnect = false;
      await consumer.lag([tp(0)]);
      await consumer.lag([tp(0)]);
      expect(admin.connects).toBe(2);
      await consumer.close();
      expect(admin.disconnects).toBe(1);
    });

    it('should reject without an admin to ask', async () => {
      await expect(consumer.lag([tp(0)])).rejects.toThrow(
        /lag\(\) needs KafkajsConsumerSettings.createAdmin/,
      );
    });
  });
});
