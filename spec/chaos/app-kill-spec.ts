import { directBrokers } from './support/chaos-broker';
import { type Lane, report, useLanes } from './support/lane';
import { SIZES, STALL_MS } from './support/profile';

/**
 * The app's process is killed (SIGKILL) mid-stream, with records in flight and offsets not
 * yet committed, and started again: nothing acknowledged may be missing. What was processed
 * past the last commit comes out twice.
 */
describe('app process killed (chaos)', () => {
  const openLanes = useLanes();

  it('should lose nothing when the app is killed with SIGKILL mid-stream and restarted, for both runners', async () => {
    const lanes = await openLanes({
      scenario: 'app-kill',
      partitions: 6,
      keys: 24,
      appBrokers: directBrokers(),
      processMs: 3,
    });
    for (const lane of lanes) {
      await lane.producer.produce(SIZES.records);
      lane.startApp();
    }
    const recovery = new Map<Lane, number>();
    await Promise.all(
      lanes.map(async (lane) => {
        const third = Math.floor(SIZES.records / 3);
        expect(await lane.tail.until(() => lane.tail.seen >= third, 120_000)).toBe(true);
        const killed = lane.apps[0]!;
        killed.kill('SIGKILL');
        expect(await killed.exited).toEqual({ code: null, signal: 'SIGKILL' });
        const restartedAt = Date.now();
        const restarted = lane.startApp();
        const name = restarted.settings.name;
        expect(
          await lane.tail.until(() => lane.tail.firstOutputBy(name) !== undefined, STALL_MS),
        ).toBe(true);
        recovery.set(lane, lane.tail.firstOutputBy(name)! - restartedAt);
        expect(await lane.caughtUp(180_000)).toBe(true);
      }),
    );
    for (const lane of lanes) {
      expect(await lane.apps[1]!.stop()).toEqual({ code: 0, signal: null });
      const result = await lane.audit();
      report(lane, result, {
        'first output of the restarted process, ms after its start': recovery.get(lane),
      });
      expect(result.missing).toEqual([]);
      expect(result.distinct).toBe(SIZES.records);
    }
  });
});
