import { directBrokers } from './support/chaos-broker';
import { report, useLanes } from './support/lane';
import { SIZES } from './support/profile';

/**
 * An app that counts each key in a state store is killed (SIGKILL) mid-stream and started
 * again. The restarted process restores the store from its changelog, so every key's count
 * goes on from where the changelog had it: the highest count of each key reaches at least the
 * number of its records (re-processed records may count twice: at-least-once). Had the
 * store started empty, the counts would restart from 0 and fall short. The single-threaded
 * lane counts in a `process()` store; the partitioned lane through the DSL, `groupBy` the key
 * (a repartition topic, a second hop that must lose nothing either) then `aggregate`.
 */
describe('app process with state killed (chaos)', () => {
  const openLanes = useLanes();

  it('should restore the counts from the changelog after a SIGKILL, losing none, for both runners (one through groupBy)', async () => {
    const lanes = await openLanes({
      scenario: 'state-kill',
      partitions: 6,
      keys: 24,
      appBrokers: directBrokers(),
      processMs: 2,
      mode: 'count',
    });
    const modeOf = (lane: (typeof lanes)[number]) =>
      ({ mode: lane.runner === 'partitioned' ? 'group-count' : 'count' }) as const;
    for (const lane of lanes) {
      await lane.producer.produce(SIZES.records);
      lane.startApp(modeOf(lane));
    }
    await Promise.all(
      lanes.map(async (lane) => {
        const half = Math.floor(SIZES.records / 2);
        expect(await lane.tail.until(() => lane.tail.seen >= half, 120_000)).toBe(true);
        const killed = lane.apps[0]!;
        killed.kill('SIGKILL');
        expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
        lane.startApp(modeOf(lane));
        expect(await lane.caughtUp(180_000)).toBe(true);
      }),
    );
    for (const lane of lanes) {
      const restarted = lane.apps[1]!;
      expect(await restarted.stop()).toEqual({ code: 0, signal: null });
      const result = await lane.audit();
      const perKey = new Map<string, number>();
      for (const { id } of lane.producer.acked) {
        const key = id.slice(0, id.lastIndexOf(':'));
        perKey.set(key, (perKey.get(key) ?? 0) + 1);
      }
      const short = [...perKey].filter(([key, n]) => lane.tail.highestCount(key) < n);
      // The last stats line the restarted process printed while it still had its partitions.
      type Stats = { stats?: { partitions?: { restore?: { records: number } }[] } };
      const running = (restarted.eventsOf('stats') as Stats[]).filter(
        (e) => (e.stats?.partitions?.length ?? 0) > 0,
      );
      const restored = running
        .pop()
        ?.stats?.partitions?.reduce((n, p) => n + (p.restore?.records ?? 0), 0);
      const overCount = [...perKey].reduce(
        (n, [key, records]) => n + lane.tail.highestCount(key) - records,
        0,
      );
      report(lane, result, {
        mode: modeOf(lane).mode,
        'changelog records restored by the restarted process': restored,
        'counted more than once (re-processed after the kill)': overCount,
      });
      expect(result.missing).toEqual([]);
      expect(perKey.size).toBe(24);
      expect(short).toEqual([]);
      expect(restored).toBeGreaterThan(0);
    }
  });
});
