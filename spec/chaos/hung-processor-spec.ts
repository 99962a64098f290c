import { committedOffsets, readAll } from '../e2e/support/broker';
import { idOf } from './support/audit';
import { directBrokers } from './support/chaos-broker';
import { report, useLanes } from './support/lane';
import type { Marking } from './support/sequence-producer';

/** One record, k0's 50th, never finishes in `hang` mode. */
const HUNG = 'k0:50';
const marking: Marking = (key, seq) => (`${key}:${seq}` === HUNG ? 'hang' : undefined);

/** The runner's drain bounds in this scenario, and how long the test lets a SIGTERM take. */
const SHUTDOWN_TIMEOUT_MS = 3000;
const GRACE_MS = 25_000;

/**
 * A processor that never resolves: on SIGTERM the shutdown is bounded by the runner's drain
 * timeouts (the process exits by itself, without SIGKILL), the hung record's offset is not
 * committed, and a restarted app (without the hang) processes it.
 */
describe('a processor that never resolves (chaos)', () => {
  const openLanes = useLanes();

  it('should shut down within the drain bounds, leave the hung offset uncommitted and re-deliver it on restart, for both runners', async () => {
    const lanes = await openLanes({
      scenario: 'hung-processor',
      partitions: 3,
      keys: 6,
      appBrokers: directBrokers(),
      mode: 'hang',
      marking,
      shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    });
    for (const lane of lanes) {
      await lane.producer.produce(600);
      lane.startApp();
    }
    for (const lane of lanes) {
      const app = lane.apps[0]!;
      await app.until((e) => e.event === 'hanging' && e['id'] === HUNG, 60_000);
      await new Promise((r) => setTimeout(r, 1500)); // the other partitions go on meanwhile
      const stopping = Date.now();
      const exit = await app.stop(GRACE_MS);
      const shutdownMs = Date.now() - stopping;
      expect(exit).toEqual({ code: 0, signal: null });

      const input = await readAll(lane.input);
      const hung = input.find((r) => idOf(r) === HUNG)!;
      const committed = await committedOffsets(lane.groupId, lane.input);
      expect(Number(committed[hung.partition] ?? -1)).toBeLessThanOrEqual(Number(hung.offset));
      expect((await readAll(lane.output)).some((r) => idOf(r) === HUNG)).toBe(false);

      // The same group, without the hang: it starts at the committed offsets.
      const restarted = lane.startApp({ mode: 'copy' });
      expect(await lane.caughtUp(120_000)).toBe(true);
      expect(await restarted.stop()).toEqual({ code: 0, signal: null });
      const result = await lane.audit();
      report(lane, result, {
        'shutdown with a hung record, ms': shutdownMs,
        'drain bounds, ms': SHUTDOWN_TIMEOUT_MS,
        'hung record committed before restart': false,
      });
      expect(result.missing).toEqual([]);
    }
  });
});
