import type { PartitionLag } from '../../lib/kafka/client';
import type { TopicPartition } from '../../lib/record/stream-record';
import { describeStall } from '../../lib/runner/describe-stall';
import { LivenessWatchdog, type LivenessProbe } from '../../lib/runner/liveness-watchdog';

const tp = (partition: number): TopicPartition => ({ topic: 'in', partition });
const lagOf = (partition: number, position: number, endOffset: number): PartitionLag => ({
  ...tp(partition),
  position: String(position),
  endOffset: String(endOffset),
});

/** A watchdog on a clock the spec moves, with 1 s bound, 100 ms poll timeout and 5 s grace. */
const setUp = (lags: () => Promise<readonly PartitionLag[]> = async () => []) => {
  let now = 0;
  const watchdog = new LivenessWatchdog(
    { timeoutMs: 1000, pollTimeoutMs: 100, listenerGraceMs: 5000 },
    () => now,
  );
  const asked: TopicPartition[][] = [];
  let deliverable: readonly TopicPartition[] = [tp(0), tp(1)];
  const production = { sent: 0, settled: 0 };
  let reachable = true;
  const probe: LivenessProbe = {
    deliverable: () => deliverable,
    lag: (partitions) => {
      asked.push([...partitions]);
      return lags();
    },
    production: () => ({ ...production }),
    reachable: async () => reachable,
  };
  return {
    watchdog,
    probe,
    asked,
    production,
    advance: (ms: number) => (now += ms),
    setDeliverable: (tps: readonly TopicPartition[]) => (deliverable = tps),
    setReachable: (yes: boolean) => (reachable = yes),
  };
};

describe('LivenessWatchdog', () => {
  it('should find no stall while polls deliver records', async () => {
    const { watchdog, probe, advance, asked } = setUp();
    for (let i = 0; i < 10; i += 1) {
      watchdog.pollStarted();
      advance(500);
      watchdog.pollEnded(3);
      expect(await watchdog.check(probe)).toBeUndefined();
    }
    expect(asked).toEqual([]);
  });

  it('should hold a poll that has not returned past its own timeout plus the bound for hung', async () => {
    const { watchdog, probe, advance } = setUp();
    watchdog.pollStarted();
    advance(1100);
    expect(await watchdog.check(probe)).toBeUndefined();
    advance(1);
    const stall = await watchdog.check(probe);
    expect(stall).toEqual({ _tag: 'PollHung', forMs: 1101, partitions: [tp(0), tp(1)] });
    expect(describeStall(stall!)).toBe('a poll has not returned for 1.1 s (partitions in:0, in:1)');
  });

  it('should give a poll that runs a rebalance listener the drain grace, and restart its clock when the listener ends', async () => {
    const { watchdog, probe, advance } = setUp();
    watchdog.pollStarted();
    advance(900);
    watchdog.listenerStarted();
    advance(6000);
    expect(await watchdog.check(probe)).toBeUndefined();
    watchdog.listenerEnded();
    advance(1100);
    expect(await watchdog.check(probe)).toBeUndefined();
    advance(1);
    expect((await watchdog.check(probe))?._tag).toBe('PollHung');
  });

  it('should hold empty polls for a stall when a deliverable partition has records to read', async () => {
    const { watchdog, probe, advance, asked } = setUp(async () => [
      lagOf(0, 10, 10),
      lagOf(1, 4, 9),
    ]);
    for (let i = 0; i < 6; i += 1) {
      watchdog.pollStarted();
      advance(200);
      watchdog.pollEnded(0);
    }
    const stall = await watchdog.check(probe);
    expect(stall).toEqual({ _tag: 'NoRecords', forMs: 1200, partitions: [lagOf(1, 4, 9)] });
    expect(asked).toEqual([[tp(0), tp(1)]]);
    expect(describeStall(stall!)).toBe(
      'no poll delivered a record for 1.2 s while in:1 (5 behind) had records to read',
    );
  });

  it('should not ask for lag before the bound has passed without records', async () => {
    const { watchdog, probe, advance, asked } = setUp(async () => [lagOf(0, 0, 5)]);
    watchdog.pollStarted();
    advance(900);
    watchdog.pollEnded(0);
    expect(await watchdog.check(probe)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('should take quiet polls for quiet, not for a stall, when nothing waits', async () => {
    const { watchdog, probe, advance } = setUp(async () => [lagOf(0, 7, 7), lagOf(1, 3, 3)]);
    watchdog.pollStarted();
    advance(5000);
    watchdog.pollEnded(0);
    expect(await watchdog.check(probe)).toBeUndefined();
  });

  it('should not hold the consumer for stuck when the broker cannot be asked (an outage)', async () => {
    const { watchdog, probe, advance } = setUp(() => Promise.reject(new Error('ECONNREFUSED')));
    watchdog.pollStarted();
    advance(5000);
    watchdog.pollEnded(0);
    expect(await watchdog.check(probe)).toBeUndefined();
  });

  it('should not ask about partitions paused by backpressure, nor stall with none deliverable', async () => {
    const { watchdog, probe, advance, asked, setDeliverable } = setUp(async () => [
      lagOf(0, 0, 99),
    ]);
    setDeliverable([]);
    watchdog.pollStarted();
    advance(5000);
    watchdog.pollEnded(0);
    expect(await watchdog.check(probe)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('should count a rebalance as progress and start the quiet clock again', async () => {
    const { watchdog, probe, advance } = setUp(async () => [lagOf(0, 0, 99)]);
    watchdog.pollStarted();
    advance(900);
    watchdog.pollEnded(0);
    watchdog.listenerStarted();
    watchdog.listenerEnded();
    advance(900);
    expect(await watchdog.check(probe)).toBeUndefined();
    advance(101);
    expect((await watchdog.check(probe))?._tag).toBe('NoRecords');
  });

  it('should start its clocks again after reset (a new consumer)', async () => {
    const { watchdog, probe, advance } = setUp(async () => [lagOf(0, 0, 99)]);
    watchdog.pollStarted();
    advance(5000);
    watchdog.reset();
    expect(await watchdog.check(probe)).toBeUndefined();
    watchdog.pollStarted();
    advance(1101);
    expect((await watchdog.check(probe))?._tag).toBe('PollHung');
  });

  it('should hold sends for hung when none settled for the bound while some wait and the broker answers', async () => {
    const { watchdog, probe, advance, production, setDeliverable } = setUp();
    setDeliverable([]); // a full buffer paused every partition
    production.sent = 10;
    production.settled = 4;
    expect(await watchdog.check(probe)).toBeUndefined();
    advance(1000);
    expect(await watchdog.check(probe)).toBeUndefined();
    advance(1);
    const stall = await watchdog.check(probe);
    expect(stall).toEqual({ _tag: 'SendsHung', forMs: 1001, outstanding: 6 });
    expect(describeStall(stall!)).toBe(
      'no send was acknowledged or failed for 1.0 s while 6 waited, though the broker answers',
    );
  });

  it('should take settling sends, or none waiting, for progress', async () => {
    const { watchdog, probe, advance, production } = setUp();
    production.sent = 10;
    for (let i = 1; i <= 5; i += 1) {
      production.settled = i;
      advance(600);
      expect(await watchdog.check(probe)).toBeUndefined();
    }
    production.settled = 10;
    advance(5000);
    expect(await watchdog.check(probe)).toBeUndefined();
  });

  it('should not hold sends for hung while the broker cannot be asked (an outage)', async () => {
    const { watchdog, probe, advance, production, setReachable } = setUp();
    setReachable(false);
    production.sent = 3;
    await watchdog.check(probe);
    advance(5000);
    expect(await watchdog.check(probe)).toBeUndefined();
  });
});
