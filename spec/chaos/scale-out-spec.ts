import type { AppProcess } from './support/app-process';
import { directBrokers } from './support/chaos-broker';
import { type Lane, report, sleep, useLanes } from './support/lane';
import { SIZES, STALL_MS } from './support/profile';

/** Partitions an app's last stats line shows it owning. */
const owned = (app: AppProcess): number => {
  const last = app.eventsOf('stats').at(-1) as { stats?: { partitions?: unknown[] } } | undefined;
  return last?.stats?.partitions?.length ?? 0;
};

/**
 * Three app processes of one group over 12 partitions, under continuous production: the second
 * and third join one at a time, then leave one at a time (SIGTERM, a graceful leave). Every
 * rebalance moves partitions between processes; nothing acknowledged may be missing. kafkajs
 * rebalances eagerly, so each one revokes every partition: duplicates are what was processed
 * past the last commit when it came.
 */
describe('scale out and in (chaos)', () => {
  const openLanes = useLanes();

  it('should lose nothing while three processes join and then leave one by one over 12 partitions, for both runners', async () => {
    const lanes = await openLanes({
      scenario: 'scale-out',
      partitions: 12,
      keys: 48,
      appBrokers: directBrokers(),
      processMs: 1,
    });
    for (const lane of lanes) {
      await lane.producer.produce(500);
      lane.startApp();
    }
    for (const lane of lanes) expect(await lane.caughtUp(90_000)).toBe(true);
    for (const lane of lanes) lane.producer.startContinuous(SIZES.rate / 2);

    /** Waits until the live processes share all 12 partitions, each owning some. */
    const settled = async (lane: Lane, live: readonly AppProcess[]): Promise<void> => {
      const ok = await lane.tail.until(
        () => live.every((a) => owned(a) > 0) && live.reduce((n, a) => n + owned(a), 0) === 12,
        STALL_MS,
      );
      expect(ok).toBe(true);
    };
    await Promise.all(
      lanes.map(async (lane) => {
        const first = lane.apps[0]!;
        const second = lane.startApp();
        await settled(lane, [first, second]);
        await sleep(2000);
        const third = lane.startApp();
        await settled(lane, [first, second, third]);
        await sleep(2000);
        expect(await third.stop()).toEqual({ code: 0, signal: null });
        await settled(lane, [first, second]);
        await sleep(2000);
        expect(await second.stop()).toEqual({ code: 0, signal: null });
        await settled(lane, [first]);
        await sleep(2000);
      }),
    );
    for (const lane of lanes) await lane.producer.stopContinuous();
    for (const lane of lanes) expect(await lane.caughtUp(120_000)).toBe(true);
    for (const lane of lanes) {
      expect(await lane.apps[0]!.stop()).toEqual({ code: 0, signal: null });
      const result = await lane.audit();
      report(lane, result, { processes: 3, partitions: 12 });
      expect(result.missing).toEqual([]);
    }
  });
});
