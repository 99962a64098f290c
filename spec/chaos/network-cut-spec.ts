import { KAFKAJS_FIXES_ENV } from '../../lib/kafka/kafkajs/kafkajs-fixes';
import { KAFKATS_FIXES_ENV } from '../../lib/kafka/kafkats/kafkats-reconnect-fix';
import { CHAOS_BROKER, proxiedBrokers } from './support/chaos-broker';
import { type Lane, report, sleep, useLanes } from './support/lane';
import { PROFILE, SIZES, STALL_MS } from './support/profile';
import { TcpProxy } from './support/tcp-proxy';

/**
 * The apps reach the broker only through a TCP proxy (the broker advertises the proxy's
 * address on the listener they bootstrap from). Each cut refuses new connections for `cutMs`
 * and resets every open one — those carrying a response within 300 ms torn in the middle of
 * it — then heals. Under continuous production, every cut must be followed by fresh output (an
 * input acknowledged after the heal, written out) within STALL_MS: otherwise the app stalled.
 */
describe('network cuts (chaos)', () => {
  let proxy: TcpProxy;
  const openLanes = useLanes();

  beforeAll(async () => {
    proxy = await TcpProxy.start(CHAOS_BROKER.proxyPort, {
      host: '127.0.0.1',
      port: CHAOS_BROKER.proxiedPort,
    });
  });
  afterEach(async () => {
    await proxy.heal();
  });
  afterAll(async () => {
    await proxy.close();
  });

  const cutsInARow = async (
    scenario: string,
    cuts: number,
    app: { readonly env?: NodeJS.ProcessEnv; readonly livenessTimeoutMs?: number },
  ): Promise<void> => {
    const options = { scenario, partitions: 6, keys: 24, appBrokers: proxiedBrokers() };
    const { livenessTimeoutMs } = app;
    const lanes = await openLanes(
      livenessTimeoutMs === undefined ? options : { ...options, livenessTimeoutMs },
    );
    for (const lane of lanes) {
      await lane.producer.produce(1000);
      lane.startApp({}, app.env);
    }
    for (const lane of lanes) expect(await lane.caughtUp(90_000)).toBe(true);
    for (const lane of lanes) lane.producer.startContinuous(SIZES.rate / 2);
    const counted = proxy.counts();

    const recoveries = new Map<Lane, number[]>(lanes.map((l) => [l, []]));
    const stalls = new Map<Lane, number>(lanes.map((l) => [l, 0]));
    for (let cut = 1; cut <= cuts; cut += 1) {
      await sleep(2000 + Math.floor(Math.random() * 2000)); // traffic flows before the cut
      await proxy.cut();
      await sleep(SIZES.cutMs);
      await proxy.heal();
      const healedAt = Date.now();
      for (const lane of lanes) {
        const recovered = await lane.tail.until(
          () => lane.tail.recoveryAfter(healedAt, lane.producer.acked) !== undefined,
          STALL_MS - (Date.now() - healedAt),
        );
        if (recovered) {
          recoveries.get(lane)!.push(lane.tail.recoveryAfter(healedAt, lane.producer.acked)!);
        } else {
          stalls.set(lane, stalls.get(lane)! + 1);
          process.stdout.write(`[chaos] ${lane.label}: cut ${cut} stalled\n`);
        }
      }
      for (const lane of lanes) {
        for (const a of lane.apps) expect(a.running).toBe(true);
      }
      process.stdout.write(
        `[chaos] ${scenario} cut ${cut}/${cuts}: recovered in ${lanes
          .map((l) => `${recoveries.get(l)!.at(-1) ?? 'never'} ms (${l.runner})`)
          .join(', ')}\n`,
      );
    }

    for (const lane of lanes) await lane.producer.stopContinuous();
    for (const lane of lanes) await lane.caughtUp(120_000);
    for (const lane of lanes) {
      expect(await lane.apps[0]!.stop()).toEqual({ code: 0, signal: null });
    }
    const after = proxy.counts();
    for (const lane of lanes) {
      const result = await lane.audit();
      const times = recoveries.get(lane)!.sort((a, b) => a - b);
      report(lane, result, {
        cuts,
        stalls: stalls.get(lane),
        'recovery ms (median/max)': `${times[Math.floor(times.length / 2)] ?? '-'}/${times.at(-1) ?? '-'}`,
        'watchdog recreations': lane.recreations(),
        'connections reset': after.reset - counted.reset,
        'torn mid-response': after.torn - counted.torn,
      });
      expect(stalls.get(lane)).toBe(0);
      expect(result.missing).toEqual([]);
    }
  };

  it(`should recover from ${SIZES.cuts} cuts of ${SIZES.cutMs} ms in a row with 0 stalls and 0 missing, for both runners`, async () => {
    await cutsInARow('network-cut', SIZES.cuts, {});
  });

  // Without the fixes a torn connection can stall either client for good (kafkajs: a stream
  // parsed from the middle of a frame; @kafkats/client: a dropped connection never
  // reconnected); the watchdog must notice and replace the client, so the app still recovers.
  const unfixedCuts = PROFILE === 'full' ? 5 : 1;
  const kafkats = process.env['KAFKA_CLIENT'] === 'kafkats';
  const unfixed = kafkats
    ? { what: 'the reconnect fix off', env: { [KAFKATS_FIXES_ENV]: 'off' } }
    : {
        what: 'the reconnect and rejoin fixes off (the crash guard on)',
        // Without the crash guard, kafkajs's RangeError on a torn frame ends the process.
        env: { [KAFKAJS_FIXES_ENV]: 'crash-guard' },
      };
  it(`should still recover from ${unfixedCuts} cut(s) with ${unfixed.what}, through the liveness watchdog`, async () => {
    await cutsInARow('network-cut-unfixed', unfixedCuts, {
      env: unfixed.env,
      livenessTimeoutMs: 15_000,
    });
  });
});
