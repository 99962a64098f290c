import { ConsumerGroup } from '../../../lib/kafka/memory/consumer-group';
import { InMemoryKafka } from '../../../lib/kafka/memory/in-memory-kafka';
import type { RawRecord } from '../../../lib/record/stream-record';
import { InMemoryKafkaError } from '../../../lib/kafka/memory/in-memory-kafka-error';
import type { ListenerCall } from './fixtures/kit';
import {
  deferred,
  expectDisjointOwnership,
  names,
  nextMacrotask,
  noopListener,
  pollNow,
  recordingListener,
  settle,
  startConsumer,
  tp,
  values,
} from './fixtures/kit';

const fill = (kafka: InMemoryKafka, topic: string, partition: number, count: number): void => {
  kafka.produce(
    topic,
    Array.from({ length: count }, (_, i) => ({ value: `p${partition}-${i}`, partition })),
  );
};

const assignments = (kafka: InMemoryKafka, groupId: string): Record<string, string[]> =>
  Object.fromEntries(kafka.groupState(groupId).map((m) => [m.memberId, names(m.assignment)]));

describe('consumer group', () => {
  it('should spread the partitions of two members round-robin in join order', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 4 });
    const log: ListenerCall[] = [];
    const a = await startConsumer(kafka, 'g', ['t'], recordingListener('a', log));
    await pollNow(a);
    const b = await startConsumer(kafka, 'g', ['t'], recordingListener('b', log));

    await settle(kafka, 'g', [b, a, b]);

    expect(assignments(kafka, 'g')).toEqual({
      'g-member-1': ['t:0', 't:2'],
      'g-member-2': ['t:1', 't:3'],
    });
    expect(log).toEqual([
      { member: 'a', kind: 'assigned', partitions: ['t:0', 't:1', 't:2', 't:3'] },
      { member: 'a', kind: 'revoked', partitions: ['t:1', 't:3'] },
      { member: 'b', kind: 'assigned', partitions: ['t:1', 't:3'] },
    ]);
    await Promise.all([a.close(), b.close()]);
  });

  it('should spread partitions of several topics over three members', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('x', { partitions: 4 });
    kafka.createTopic('y', { partitions: 2 });
    const members = [];
    for (let i = 0; i < 3; i += 1) {
      members.push(await startConsumer(kafka, 'g', ['y', 'x']));
      await settle(kafka, 'g', members);
    }

    expect(assignments(kafka, 'g')).toEqual({
      'g-member-1': ['x:0', 'x:3'],
      'g-member-2': ['x:1', 'y:0'],
      'g-member-3': ['x:2', 'y:1'],
    });
    await Promise.all(members.map((m) => m.close()));
  });

  it('should put partition N of every topic on one member when a member asks for it (a join)', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('x', { partitions: 3 });
    kafka.createTopic('y', { partitions: 3 });
    const members = [];
    for (let i = 0; i < 2; i += 1) {
      members.push(await startConsumer(kafka, 'g', ['y', 'x'], undefined, true, true));
      await settle(kafka, 'g', members);
    }

    // Round robin would give member 1 x:0, x:2, y:1 and member 2 x:1, y:0, y:2.
    expect(assignments(kafka, 'g')).toEqual({
      'g-member-1': ['x:0', 'x:2', 'y:0', 'y:2'],
      'g-member-2': ['x:1', 'y:1'],
    });
    await Promise.all(members.map((m) => m.close()));
  });

  it('should deliver every record once across joins when members commit what they polled', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 6 });
    const members = [await startConsumer(kafka, 'g', ['t'])];
    const seen: RawRecord[] = [];
    const pollAndCommit = async (): Promise<void> => {
      for (const member of members) {
        const records = await pollNow(member, 3);
        await member.commit(
          records.map((r) => ({
            topic: r.topic,
            partition: r.partition,
            offset: String(Number(r.offset) + 1),
          })),
        );
        seen.push(...records);
        expectDisjointOwnership(kafka, 'g');
      }
    };
    for (let i = 0; i < 8; i += 1) {
      kafka.produce('t', [{ key: `k${i}`, value: `v${i}` }, { value: `n${i}` }]);
      if (i === 2 || i === 4) members.push(await startConsumer(kafka, 'g', ['t']));
      if (i === 6) await members.shift()!.close();
      await pollAndCommit();
    }
    for (let i = 0; i < 5; i += 1) await pollAndCommit();

    expect(values(seen).sort()).toEqual(values(kafka.records('t')).sort());
    expect(kafka.lag('g')).toBe(0);
    await Promise.all(members.map((m) => m.close()));
  });

  it('should hand a lost partition over only after the old owner finished onRevoked', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    fill(kafka, 't', 1, 3);
    const log: ListenerCall[] = [];
    const revoking = deferred();
    const ownedByAWhileBAssigned: string[][] = [];
    const a = await startConsumer(
      kafka,
      'g',
      ['t'],
      recordingListener('a', log, {
        onRevoked: async () => {
          await revoking.promise;
          log.push({ member: 'a', kind: 'revoked', partitions: ['done'] });
        },
      }),
    );
    await pollNow(a, 1);
    const b = await startConsumer(
      kafka,
      'g',
      ['t'],
      recordingListener('b', log, {
        onAssigned: () => {
          ownedByAWhileBAssigned.push(names(a.assignment()));
        },
      }),
    );
    const bPoll = b.poll({ maxRecords: 10, timeoutMs: 60_000 });
    const aPoll = pollNow(a);
    for (let i = 0; i < 5; i += 1) await nextMacrotask();

    expect(names(a.assignment())).toEqual(['t:0', 't:1']);
    expect(b.assignment()).toEqual([]);
    expectDisjointOwnership(kafka, 'g');
    revoking.resolve();
    await aPoll;
    const bRecords = await bPoll;

    expect(log.map((c) => `${c.member} ${c.kind} ${c.partitions.join(',')}`)).toEqual([
      'a assigned t:0,t:1',
      'a revoked t:1',
      'a revoked done',
      'b assigned t:1',
    ]);
    expect(ownedByAWhileBAssigned).toEqual([['t:0']]);
    expect(values(bRecords)).toEqual(['p1-0', 'p1-1', 'p1-2']);
    await Promise.all([a.close(), b.close()]);
  });

  it('should let onRevoked commit, and start the new owner from that commit', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    fill(kafka, 't', 1, 5);
    const a = await startConsumer(kafka, 'g', ['t'], {
      onAssigned: () => undefined,
      onRevoked: (partitions) => a.commit(partitions.map((p) => ({ ...p, offset: '3' }))),
    });
    const first = await pollNow(a, 3);
    expect(values(first)).toEqual(['p1-0', 'p1-1', 'p1-2']);
    const b = await startConsumer(kafka, 'g', ['t']);

    const [, , fromB] = [await pollNow(b), await pollNow(a), await pollNow(b)];

    expect(kafka.committedOffsets('g')).toEqual({ t: { 1: '3' } });
    expect(values(fromB)).toEqual(['p1-3', 'p1-4']);
    await Promise.all([a.close(), b.close()]);
  });

  it('should skip a late commit for a partition the member no longer owns (kafkajs#1046)', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    fill(kafka, 't', 1, 10);
    const a = await startConsumer(kafka, 'g', ['t']);
    await pollNow(a, 10);
    const b = await startConsumer(kafka, 'g', ['t']);
    await settle(kafka, 'g', [b, a, b]);
    await b.commit([{ topic: 't', partition: 1, offset: '8' }]);

    await a.commit([
      { topic: 't', partition: 1, offset: '5' },
      { topic: 't', partition: 0, offset: '0' },
    ]);

    expect(kafka.committedOffsets('g')).toEqual({ t: { 0: '0', 1: '8' } });
    await Promise.all([a.close(), b.close()]);
  });

  it('should neither revoke nor rewind a partition a member keeps', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    fill(kafka, 't', 0, 4);
    const log: ListenerCall[] = [];
    const a = await startConsumer(kafka, 'g', ['t'], recordingListener('a', log));
    expect(values(await pollNow(a, 2))).toEqual(['p0-0', 'p0-1']);
    const b = await startConsumer(kafka, 'g', ['t']);

    await settle(kafka, 'g', [b]);
    const next = await pollNow(a);

    expect(log).toEqual([
      { member: 'a', kind: 'assigned', partitions: ['t:0', 't:1'] },
      { member: 'a', kind: 'revoked', partitions: ['t:1'] },
    ]);
    expect(values(next)).toEqual(['p0-2', 'p0-3']);
    await Promise.all([a.close(), b.close()]);
  });

  it('should wake a waiting poll of the old owner to revoke, and of the new owner to assign', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    const log: ListenerCall[] = [];
    const a = await startConsumer(kafka, 'g', ['t'], recordingListener('a', log));
    await pollNow(a);
    const aWaiting = a.poll({ maxRecords: 10, timeoutMs: 60_000 });
    const b = await startConsumer(kafka, 'g', ['t'], recordingListener('b', log));

    const bWaiting = b.poll({ maxRecords: 10, timeoutMs: 60_000 });
    while (log.length < 3) await nextMacrotask();

    expect(log.slice(1)).toEqual([
      { member: 'a', kind: 'revoked', partitions: ['t:1'] },
      { member: 'b', kind: 'assigned', partitions: ['t:1'] },
    ]);
    kafka.produce('t', [{ value: 'for b', partition: 1 }]);
    expect(values(await bWaiting)).toEqual(['for b']);
    await Promise.all([a.close(), b.close()]);
    expect(await aWaiting).toEqual([]);
  });

  it('should give a closing member its partitions to the others from its last commit', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    fill(kafka, 't', 0, 5);
    const log: ListenerCall[] = [];
    const a = await startConsumer(kafka, 'g', ['t'], recordingListener('a', log));
    const b = await startConsumer(kafka, 'g', ['t'], recordingListener('b', log));
    const fromA = await settle(kafka, 'g', [a, b], 1);
    expect(values(fromA)).toEqual(['p0-0', 'p0-1', 'p0-2', 'p0-3', 'p0-4']);
    await a.commit([{ topic: 't', partition: 0, offset: '2' }]);

    await a.close();
    const fromB = await pollNow(b);

    expect(values(fromB)).toEqual(['p0-2', 'p0-3', 'p0-4']);
    expect(log.slice(-2)).toEqual([
      { member: 'a', kind: 'revoked', partitions: ['t:0'] },
      { member: 'b', kind: 'assigned', partitions: ['t:0'] },
    ]);
    expect(assignments(kafka, 'g')).toEqual({ 'g-member-2': ['t:0', 't:1'] });
    await b.close();
  });

  it('should give a crashed member its partitions to the others from the last commit', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    const log: ListenerCall[] = [];
    const a = await startConsumer(kafka, 'g', ['t'], recordingListener('a', log));
    const b = await startConsumer(kafka, 'g', ['t'], recordingListener('b', log));
    await settle(kafka, 'g', [a, b], 1);
    fill(kafka, 't', 1, 6);
    const fromB = await pollNow(b, 4);
    await b.commit([{ topic: 't', partition: 1, offset: '3' }]);
    const aWaiting = a.poll({ maxRecords: 10, timeoutMs: 60_000 });

    b.crash();

    expect(values(fromB)).toEqual(['p1-0', 'p1-1', 'p1-2', 'p1-3']);
    expect(values(await aWaiting)).toEqual(['p1-3', 'p1-4', 'p1-5']);
    expect(log.filter((c) => c.member === 'b').map((c) => c.kind)).toEqual(['assigned']);
    await a.close();
  });

  it('should drop the pause state of a revoked partition but keep it on a kept one', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    const a = await startConsumer(kafka, 'g', ['t']);
    await pollNow(a);
    a.pause([tp('t', 0), tp('t', 1)]);
    const b = await startConsumer(kafka, 'g', ['t']);

    await settle(kafka, 'g', [a, b], 1);
    expect(names(a.paused())).toEqual(['t:0']);
    await b.close();
    await pollNow(a);
    fill(kafka, 't', 1, 1);

    expect(names(a.assignment())).toEqual(['t:0', 't:1']);
    expect(names(a.paused())).toEqual(['t:0']);
    expect(values(await pollNow(a))).toEqual(['p1-0']);
    await a.close();
  });

  it('should release partitions even when onRevoked throws, and reject that poll', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    const a = await startConsumer(kafka, 'g', ['t'], {
      onAssigned: () => undefined,
      onRevoked: () => {
        throw new Error('revoke broke');
      },
    });
    await pollNow(a);
    const b = await startConsumer(kafka, 'g', ['t']);

    await expect(pollNow(a)).rejects.toThrow('revoke broke');
    await pollNow(b);

    expect(assignments(kafka, 'g')).toEqual({
      'g-member-1': ['t:0'],
      'g-member-2': ['t:1'],
    });
    await b.close();
    a.crash();
  });

  it('should keep a partition that is being revoked by a poll owned until that revocation ends, even if the member closes', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    fill(kafka, 't', 0, 3);
    fill(kafka, 't', 1, 4);
    const revoking = deferred();
    const log: ListenerCall[] = [];
    const a = await startConsumer(
      kafka,
      'g',
      ['t'],
      recordingListener('a', log, {
        onRevoked: async (partitions) => {
          if (names(partitions).includes('t:1')) await revoking.promise;
          await a.commit(partitions.map((p) => ({ ...p, offset: '2' })));
        },
      }),
    );
    await pollNow(a);
    const b = await startConsumer(kafka, 'g', ['t'], recordingListener('b', log));
    const bWaiting = b.poll({ maxRecords: 10, timeoutMs: 60_000 });
    const aPoll = pollNow(a);
    await nextMacrotask();

    await a.close();
    const fromB = [...(await bWaiting)];
    expect(names(a.assignment())).toEqual(['t:1']);
    expect(names(b.assignment())).toEqual(['t:0']);
    expectDisjointOwnership(kafka, 'g');
    revoking.resolve();
    await aPoll;
    fromB.push(...(await pollNow(b)));

    expect(values(fromB)).toEqual(['p0-2', 'p1-2', 'p1-3']);
    expect(kafka.committedOffsets('g')).toEqual({ t: { 0: '2', 1: '2' } });
    expect(log.map((c) => `${c.member} ${c.kind} ${c.partitions.join(',')}`)).toEqual([
      'a assigned t:0,t:1',
      'a revoked t:1',
      'a revoked t:0',
      'b assigned t:0',
      'b assigned t:1',
    ]);
    expect(a.assignment()).toEqual([]);
    await b.close();
  });

  it('should release at once when a member crashes during onRevoked, refusing its late commits', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    const revoking = deferred();
    const a = await startConsumer(kafka, 'g', ['t'], {
      onAssigned: () => undefined,
      onRevoked: async (partitions) => {
        await revoking.promise;
        await a.commit(partitions.map((p) => ({ ...p, offset: '9' })));
      },
    });
    await pollNow(a);
    const b = await startConsumer(kafka, 'g', ['t']);
    const aPoll = pollNow(a).catch((e: unknown) => e);
    await nextMacrotask();

    a.crash();
    await pollNow(b);
    revoking.resolve();

    expect(((await aPoll) as InMemoryKafkaError).code).toBe('ILLEGAL_STATE');
    expect(assignments(kafka, 'g')).toEqual({ 'g-member-2': ['t:0', 't:1'] });
    expect(kafka.committedOffsets('g')).toEqual({});
    await b.close();
  });

  it('should require every member to subscribe to the same topics', async () => {
    const kafka = new InMemoryKafka();
    const a = await startConsumer(kafka, 'g', ['x', 'y']);
    const b = kafka.client({ groupId: 'g' }).createConsumer();
    await b.connect();

    const error = await b.subscribe(['x'], noopListener).catch((e: unknown) => e);

    expect((error as InMemoryKafkaError).code).toBe('INCONSISTENT_SUBSCRIPTION');
    await expect(b.subscribe(['y', 'x', 'x'], noopListener)).resolves.toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('should let a group change topics once every member left', async () => {
    const kafka = new InMemoryKafka();
    const a = await startConsumer(kafka, 'g', ['x']);
    await a.close();

    const b = await startConsumer(kafka, 'g', ['y']);
    await pollNow(b);

    expect(names(b.assignment())).toEqual(['y:0']);
    await b.close();
  });

  it('should keep groups apart: each reads everything and commits on its own', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('t', [{ value: 'a' }, { value: 'b' }]);
    const one = await startConsumer(kafka, 'one', ['t']);
    const two = await startConsumer(kafka, 'two', ['t']);

    const [fromOne, fromTwo] = [await pollNow(one), await pollNow(two)];
    await one.commit([{ topic: 't', partition: 0, offset: '2' }]);

    expect(values(fromOne)).toEqual(['a', 'b']);
    expect(values(fromTwo)).toEqual(['a', 'b']);
    expect(kafka.committedOffsets('one')).toEqual({ t: { 0: '2' } });
    expect(kafka.committedOffsets('two')).toEqual({});
    await Promise.all([one.close(), two.close()]);
  });

  it('should list members in join order with what they own', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 3 });
    const a = await startConsumer(kafka, 'g', ['t']);
    const b = await startConsumer(kafka, 'g', ['t']);
    await settle(kafka, 'g', [a, b], 1);

    expect(kafka.groupState('g')).toEqual([
      { memberId: 'g-member-1', assignment: [tp('t', 0), tp('t', 2)], paused: [] },
      { memberId: 'g-member-2', assignment: [tp('t', 1)], paused: [] },
    ]);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('ConsumerGroup', () => {
  it('should refuse to let a member claim a partition another member owns', () => {
    const group = new ConsumerGroup('g', () => 1);

    group.claim('g-member-1', [tp('t', 0)]);

    expect(() => group.claim('g-member-2', [tp('t', 0)])).toThrow(
      't:0 is owned by g-member-1; g-member-2 cannot take it',
    );
    group.release('g-member-2', [tp('t', 0)]);
    expect(group.ownerOf(tp('t', 0))).toBe('g-member-1');
  });
});
