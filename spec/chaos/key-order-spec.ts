import type { AppEvent, AppProcess } from './support/app-process';
import { directBrokers } from './support/chaos-broker';
import { type Lane, report, sleep, useLanes } from './support/lane';
import { SIZES, STALL_MS } from './support/profile';

const PARTITIONS = 4;

/** A killed member's partitions wait for its session to end: 10 s unless the run says. */
const SESSION = {
  sessionTimeoutMs: Number(process.env['CHAOS_SESSION_TIMEOUT_MS'] ?? 10_000),
};

/** Partitions a stats line shows its app owning. */
const owns = (event: AppEvent | undefined): number =>
  (event as { stats?: { partitions?: unknown[] } } | undefined)?.stats?.partitions?.length ?? 0;

/** Partitions an app's last stats line shows it owning. */
const owned = (app: AppProcess): number => owns(app.eventsOf('stats').at(-1));

/** What a stats line shows in its app's buffers (queued, working or unacknowledged). */
const buffered = (event: AppEvent | undefined): number => {
  const stats = (event as { stats?: { partitions?: { queueDepth: number }[] } } | undefined)?.stats;
  return (stats?.partitions ?? []).reduce((n, p) => n + p.queueDepth, 0);
};

/** What an app's last stats line shows in its buffers. */
const inBuffers = (app: AppProcess): number => buffered(app.eventsOf('stats').at(-1));

/** What an app's buffers held at its last stats line owning every partition, before the join. */
const atTheJoin = (app: AppProcess): number => {
  const lines = app.eventsOf('stats');
  const lost = lines.findIndex(
    (e, i) => i > 0 && owns(e) < PARTITIONS && owns(lines[i - 1]!) === PARTITIONS,
  );
  return lost === -1 ? 0 : buffered(lines[lost - 1]);
};

/** Waits until the live processes share every partition, each owning some. */
const settled = async (lane: Lane, live: readonly AppProcess[]): Promise<void> => {
  const ok = await lane.tail.until(
    () => live.every((a) => owned(a) > 0) && live.reduce((n, a) => n + owned(a), 0) === PARTITIONS,
    STALL_MS,
  );
  expect(ok).toBe(true);
};

/**
 * The partitioned runner with `ordering: 'key'`: up to 20 records of a partition at once (a
 * partition holds 10 of the 40 keys on average), never two of one key, each record's work of
 * random length, so records finish out of offset order and only the finished prefix may be
 * committed. Under continuous production a second process joins while the first has a backlog
 * in flight (an eager rebalance revokes everything), then the first is killed with SIGKILL and
 * replaced: nothing acknowledged may be missing, and each key's first outputs keep the key's
 * input order.
 */
describe('ordering by key (chaos)', () => {
  const openLanes = useLanes();

  it("should lose nothing and keep each key's order through a join and a SIGKILL, with ordering 'key'", async () => {
    const lanes = await openLanes({
      scenario: 'key-order',
      runners: ['partitioned'],
      partitions: PARTITIONS,
      keys: 40,
      appBrokers: directBrokers(),
      processMs: 2,
      processJitterMs: 8,
      ordering: 'key',
      maxConcurrency: 20,
    });
    const lane = lanes[0]!;
    const backlog = SIZES.records;
    await lane.producer.produce(backlog);
    const first = lane.startApp(SESSION);
    lane.producer.startContinuous(SIZES.rate);

    expect(await lane.tail.until(() => lane.tail.seen >= backlog / 4, 120_000)).toBe(true);
    await settled(lane, [first]);
    const second = lane.startApp(SESSION);
    // Until the join has taken partitions from the first process, records come faster than
    // one process works them off: it has a backlog in flight when the join revokes them.
    const deadline = Date.now() + STALL_MS;
    while (owned(first) === PARTITIONS && Date.now() < deadline) {
      await lane.producer.produce(500);
      await sleep(100);
    }
    await settled(lane, [first, second]);
    await sleep(2000);

    // A second backlog: the first process is killed once it shows records of it in its buffers.
    const burstAt = Date.now();
    await lane.producer.produce(2 * backlog);
    await first.until((e) => e.event === 'stats' && e.at > burstAt && buffered(e) > 0);
    const held = inBuffers(first);
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const third = lane.startApp(SESSION);
    await settled(lane, [second, third]);
    await sleep(2000);

    await lane.producer.stopContinuous();
    expect(await lane.caughtUp(120_000)).toBe(true);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
    expect(await third.stop()).toEqual({ code: 0, signal: null });
    const result = await lane.audit();
    const work = lane.work();
    report(lane, result, {
      'first process buffered before the join': atTheJoin(first),
      'before SIGKILL': held,
      'most records of one partition at once': work.mostAtOnceInAPartition,
      'starts of a key already working': work.sameKeyOverlaps,
    });
    // The scenario did what it is for: the join found records in the first process's buffers.
    expect(atTheJoin(first)).toBeGreaterThan(0);
    expect(result.missing).toEqual([]);
    expect(result.orderViolations).toBe(0);
    expect(work.sameKeyOverlaps).toBe(0);
    // Records of a partition did run side by side: the order above was not one at a time.
    expect(work.mostAtOnceInAPartition).toBeGreaterThan(1);
  });
});
