import type { Consumer as KafkajsConsumerApi } from 'kafkajs';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import type { Consumer, KafkaClient } from '../../../lib/kafka/client';
import type { Logger } from '../../../lib/logger/logger';
import {
  brokers,
  createTopic,
  helperKafka,
  numbered,
  pollUntil,
  produce,
  recordingListener,
  uniqueName,
  withAdmin,
} from '../support/broker';

/** What kafkajs and the adapter log, kept to be checked (and printed with DEBUG_RETIRED=1). */
const recordingLogger = (lines: string[]): Logger => {
  const write =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const line = `${level} ${message} ${JSON.stringify(fields ?? {})}`;
      lines.push(line);
      if (process.env['DEBUG_RETIRED'] === '1') console.log(`${new Date().toISOString()} ${line}`);
    };
  return {
    debug: () => undefined,
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * kafkajs 2.2.4's disconnect() stops only a runner that is running: one still joining the
 * group (its JoinGroup waiting on the coordinator) is left to finish, and a crash on the way
 * schedules a restart as a new member after the stop (lib/kafka/kafkajs/consumer-retirement.ts).
 * The liveness watchdog closes a consumer in exactly that state after a network cut; the
 * closed consumer then held partitions nobody polled (the chaos suite's network cut with the
 * kafkajs fixes off, 10,489 records never out).
 */
describe('a closed kafkajs consumer (real broker)', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });

  /**
   * A member of the group that stops heartbeating inside its first batch: the group waits for
   * it (its session, 6 s) before a join of another member completes.
   */
  const stuckMember = async (groupId: string, topic: string): Promise<KafkajsConsumerApi> => {
    const member = helperKafka().consumer({
      groupId,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    cleanup.push(async () => {
      release();
      await member.disconnect();
    });
    await member.connect();
    await member.subscribe({ topic, fromBeginning: true });
    let inBatch: () => void = () => undefined;
    const batchBegun = new Promise<void>((r) => (inBatch = r));
    await member.run({
      eachBatch: async () => {
        inBatch();
        await released;
      },
    });
    await batchBegun;
    return member;
  };

  const members = (groupId: string): Promise<string[]> =>
    withAdmin(async (admin) => {
      const { groups } = await admin.describeGroups([groupId]);
      return (groups[0]?.members ?? []).map((m) => m.memberId);
    });

  it('should stop for good once closed during its join, so its replacement gets every partition', async () => {
    const topic = await createTopic(4);
    await produce(
      topic,
      [0, 1, 2, 3].flatMap((p) => numbered(p, 5)),
    );
    const groupId = uniqueName('group');
    const lines: string[] = [];
    const client: KafkaClient = kafkajsClient({
      brokers: brokers(),
      groupId,
      fromBeginning: true,
      logLevel: 'info',
      logger: recordingLogger(lines),
      consumer: { sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
    });
    await stuckMember(groupId, topic);

    // The closed one: its JoinGroup waits for the stuck member when close() comes.
    const closed: Consumer = client.createConsumer();
    cleanup.push(() => closed.close());
    await closed.connect();
    const subscribed = closed.subscribe([topic], recordingListener()).catch(() => undefined);
    await sleep(1500);
    await closed.close();
    await subscribed;

    // Its replacement, of the same client, as the liveness watchdog makes one.
    const replacement = client.createConsumer();
    cleanup.push(() => replacement.close());
    await replacement.connect();
    await replacement.subscribe([topic], recordingListener());
    const polled = await pollUntil(replacement, (all) => all.length >= 20, { timeoutMs: 40_000 });
    expect(new Set(polled.map((r) => r.partition))).toEqual(new Set([0, 1, 2, 3]));
    // Long enough for a restart of the closed one (kafkajs: 300 ms later) to join and be assigned.
    await sleep(4000);
    await replacement.poll({ maxRecords: 500, timeoutMs: 200 });
    expect(
      replacement
        .assignment()
        .map((tp) => tp.partition)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
    expect(await members(groupId)).toHaveLength(1);
    expect(lines.filter((l) => l.includes('Restarting the consumer'))).toEqual([]);
  });
});
