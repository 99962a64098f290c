import { directBrokers, kafkaScript } from './support/chaos-broker';
import { report, sleep, useLanes } from './support/lane';
import { SIZES, STALL_MS } from './support/profile';

/**
 * The broker goes away under continuous production and comes back on the same data: stopped
 * gracefully (SIGTERM), or killed (SIGKILL). Inputs the broker acknowledged must all come out;
 * the apps must recover once it answers again, without being restarted.
 */
describe('broker stopped and killed (chaos)', () => {
  const openLanes = useLanes();

  const outage = async (how: 'stop' | 'kill', scenario: string): Promise<void> => {
    const lanes = await openLanes({
      scenario,
      partitions: 6,
      keys: 24,
      appBrokers: directBrokers(),
    });
    for (const lane of lanes) {
      await lane.producer.produce(1000);
      lane.startApp();
    }
    for (const lane of lanes) expect(await lane.caughtUp(90_000)).toBe(true);
    for (const lane of lanes) lane.producer.startContinuous(SIZES.rate / 2);
    await sleep(3000);

    const downAt = Date.now();
    await kafkaScript(how);
    await sleep(2000);
    await kafkaScript('start');
    const upAt = Date.now();

    const recoveries = await Promise.all(
      lanes.map(async (lane) => {
        const recovered = await lane.tail.until(
          () => lane.tail.recoveryAfter(upAt, lane.producer.acked) !== undefined,
          STALL_MS,
        );
        return recovered ? lane.tail.recoveryAfter(upAt, lane.producer.acked) : undefined;
      }),
    );
    await sleep(3000);
    for (const lane of lanes) await lane.producer.stopContinuous();
    for (const lane of lanes) expect(await lane.caughtUp(120_000)).toBe(true);
    for (const [i, lane] of lanes.entries()) {
      expect(lane.apps[0]!.running).toBe(true);
      expect(await lane.apps[0]!.stop()).toEqual({ code: 0, signal: null });
      const result = await lane.audit();
      report(lane, result, {
        'broker down, ms': upAt - downAt,
        'recovery after it answered, ms': recoveries[i] ?? 'never',
        'failed producer sends': lane.producer.failedSends,
        'watchdog recreations': lane.recreations(),
      });
      expect(recoveries[i]).toBeDefined();
      expect(result.missing).toEqual([]);
    }
  };

  it('should lose nothing acknowledged when the broker is stopped gracefully and restarted on its data, for both runners', async () => {
    await outage('stop', 'broker-restart');
  });

  it('should lose nothing acknowledged when the broker is killed with SIGKILL under continuous production, for both runners', async () => {
    await outage('kill', 'broker-kill');
  });
});
