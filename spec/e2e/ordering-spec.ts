import { mapValues, partitionedRunner, Serdes, StreamsBuilder } from 'rx-kstreams';
import { testClient } from './support/client-under-test';
import type { Consumer, KafkaClient, RebalanceListener } from '../../lib/kafka/client';
import type { RunnableTopology } from '../../lib/topology/topology-task';
import { startApp } from '../runner/support/run-app';
import {
  committedOffsets,
  createTopic,
  produce,
  readAll,
  type TestRecord,
  uniqueName,
  valueOf,
  withAdmin,
} from './support/broker';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const KEYS = 20;

/** Waits until `ready()` holds, checked every 50 ms, for at most `timeoutMs`. */
const waitFor = async (ready: () => boolean, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await sleep(50);
  }
};

/**
 * One app's records at work: how many of each key and of each partition are working now, the
 * starts of a key already working, the most of one partition at once, how many have finished,
 * and how many were working each time the app was told partitions were revoked.
 */
class Workbench {
  sameKeyOverlaps = 0;
  mostAtOnceInAPartition = 0;
  finished = 0;
  readonly workingAtRevocation: number[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly byPartition = new Map<number, number>();
  private working = 0;

  async work(key: string, partition: number, ms: number): Promise<void> {
    const sameKey = (this.byKey.get(key) ?? 0) + 1;
    const inPartition = (this.byPartition.get(partition) ?? 0) + 1;
    if (sameKey > 1) this.sameKeyOverlaps += 1;
    this.mostAtOnceInAPartition = Math.max(this.mostAtOnceInAPartition, inPartition);
    this.byKey.set(key, sameKey);
    this.byPartition.set(partition, inPartition);
    this.working += 1;
    try {
      await sleep(ms);
    } finally {
      this.byKey.set(key, this.byKey.get(key)! - 1);
      this.byPartition.set(partition, this.byPartition.get(partition)! - 1);
      this.working -= 1;
      this.finished += 1;
    }
  }

  revoked(): void {
    this.workingAtRevocation.push(this.working);
  }
}

/** The client, its consumers telling `bench` when partitions are revoked (before the drain). */
const watchedClient = (groupId: string, bench: Workbench): KafkaClient => {
  const client = testClient({ groupId });
  const watch = (consumer: Consumer): Consumer =>
    new Proxy(consumer, {
      get: (target, property) => {
        if (property === 'subscribe') {
          return (topics: readonly string[], listener: RebalanceListener) =>
            target.subscribe(topics, {
              onAssigned: (partitions) => listener.onAssigned(partitions),
              onRevoked: (partitions) => {
                bench.revoked();
                return listener.onRevoked(partitions);
              },
            });
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  return {
    groupId: client.groupId,
    createConsumer: () => watch(client.createConsumer()),
    createProducer: () => client.createProducer(),
    useLogger: (logger) => client.useLogger?.(logger),
  };
};

/** Copies `input` to `output`, each record after 0–20 ms of work at random. */
const delayedCopy = (input: string, output: string, bench: Workbench): RunnableTopology => {
  const builder = new StreamsBuilder();
  const strings = { key: Serdes.string(), value: Serdes.string() };
  builder
    .stream(input, strings)
    .pipe(
      mapValues(async (value, record) => {
        await bench.work(record.key ?? '', record.partition, Math.random() * 20);
        return value;
      }),
    )
    .to(output, strings);
  return builder.build();
};

/** Waits until the group has committed the end of every partition of `topic`. */
const caughtUp = async (groupId: string, topic: string, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ends = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
    const end = ends.reduce((n, p) => n + Number(p.high), 0);
    const committed = Object.values(await committedOffsets(groupId, topic)).reduce(
      (n, o) => n + Math.max(0, Number(o)),
      0,
    );
    if (committed === end) return;
    if (Date.now() > deadline) {
      throw new Error(`group ${groupId} stuck at ${committed}/${end} on ${topic}`);
    }
    await sleep(100);
  }
};

describe("partitionedRunner with ordering 'key' on a real broker", () => {
  it("should keep each key's order and lose nothing while a second member joins with records in flight and the first leaves", async () => {
    const [input, output] = await Promise.all([createTopic(2, 'in'), createTopic(2, 'out')]);
    const group = uniqueName('g');
    // Key k<i> lives in partition i % 2, its values are ids `k<i>:<seq>`. Two producers write
    // at once, so the order of reference is the input topic's.
    const seqs = Array.from({ length: KEYS }, () => 0);
    const next = (count: number): TestRecord[] =>
      Array.from({ length: count }, (_, i) => {
        const k = i % KEYS;
        const seq = seqs[k]!;
        seqs[k] = seq + 1;
        return { partition: k % 2, key: `k${k}`, value: `k${k}:${seq}` };
      });

    const factory = () =>
      partitionedRunner({
        pollTimeoutMs: 100,
        commitIntervalMs: 200,
        channelBufferSize: 50,
        ordering: 'key',
        maxConcurrency: 20,
      });
    const firstBench = new Workbench();
    const secondBench = new Workbench();
    await produce(input, next(400));
    const first = startApp(
      watchedClient(group, firstBench),
      delayedCopy(input, output, firstBench),
      factory(),
    );

    let producing = true;
    const producer = (async () => {
      while (producing) {
        await produce(input, next(40));
        await sleep(50);
      }
    })();
    const owns = (app: typeof first): number => app.app.stats()?.partitions.length ?? 0;
    await waitFor(() => owns(first) === 2);
    // A backlog that outlasts the join: the first member has records working when it is told.
    await produce(input, next(6000));
    await waitFor(() => firstBench.finished >= 1000);
    const second = startApp(
      watchedClient(group, secondBench),
      delayedCopy(input, output, secondBench),
      factory(),
    );
    await waitFor(() => owns(first) === 1 && owns(second) === 1);
    await sleep(1000);
    await first.stop();
    await waitFor(() => owns(second) === 2);
    await sleep(1000);
    producing = false;
    await producer;
    await caughtUp(group, input);
    await second.stop();

    /** Per key, its ids in the order of the records given (a key lives in one partition). */
    const idsPerKey = (values: readonly string[]): Map<string, string[]> => {
      const perKey = new Map<string, string[]>();
      for (const id of new Set(values)) {
        const key = id.split(':')[0]!;
        perKey.set(key, [...(perKey.get(key) ?? []), id]);
      }
      return perKey;
    };
    const inputs = (await readAll(input)).map((r) => valueOf(r)!);
    const outputs = (await readAll(output)).map((r) => valueOf(r)!);
    const expected = idsPerKey(inputs);
    const firstOutputs = idsPerKey(outputs);
    const distinct = new Set(outputs).size;
    console.log(
      `ordering 'key' (partitionedRunner): ${inputs.length} inputs, ${outputs.length} outputs, ` +
        `${inputs.length - distinct} missing, ${outputs.length - distinct} duplicates, records working when partitions were revoked: ` +
        `first [${firstBench.workingAtRevocation.join(', ')}], second [${secondBench.workingAtRevocation.join(', ')}], ` +
        `most of one partition at once ${firstBench.mostAtOnceInAPartition}`,
    );
    // Every input came out, and each key's first outputs are its inputs in input order.
    expect(inputs).toHaveLength(seqs.reduce((n, s) => n + s, 0));
    expect([...firstOutputs.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, ids] of expected) expect(firstOutputs.get(key)).toEqual(ids);
    expect(firstBench.sameKeyOverlaps + secondBench.sameKeyOverlaps).toBe(0);
    // What the test is for happened: records of a partition ran side by side, and the join
    // revoked the first member's partitions while some of its records were working.
    expect(firstBench.mostAtOnceInAPartition).toBeGreaterThan(1);
    expect(firstBench.workingAtRevocation[0]).toBeGreaterThan(0);
  });
});
