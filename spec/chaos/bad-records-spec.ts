import { readAll } from '../e2e/support/broker';
import { idOf } from './support/audit';
import { directBrokers } from './support/chaos-broker';
import { report, useLanes } from './support/lane';
import { SIZES } from './support/profile';
import type { Marking } from './support/sequence-producer';

/** About 1 % malformed JSON and 0.5 % records whose processing throws, spread over keys. */
const marking: Marking = (key, seq) => {
  const n = (seq * 31 + Number(key.slice(1)) * 7) % 200;
  if (n < 2) return 'malformed';
  if (n === 2) return 'fail';
  return undefined;
};
const isBad = (id: string): boolean => {
  const at = id.lastIndexOf(':');
  return marking(id.slice(0, at), Number(id.slice(at + 1))) !== undefined;
};

/**
 * Bad records among good ones: malformed JSON (a serde failure) and records whose processing
 * throws, handled by `withMaxAttempts(3, fixedBackoff(50), withDLQ(dlq))`. Every good record
 * comes out, every bad one lands in the DLQ with its error headers, and the app never stops.
 */
describe('malformed and failing records (chaos)', () => {
  const openLanes = useLanes();

  it('should write every good record out and dead-letter every bad one with its headers, never crashing, for both runners', async () => {
    const lanes = await openLanes({
      scenario: 'bad-records',
      partitions: 6,
      keys: 24,
      appBrokers: directBrokers(),
      mode: 'bad-records',
      marking,
      dlq: true,
    });
    for (const lane of lanes) {
      await lane.producer.produce(SIZES.records);
      lane.startApp();
    }
    for (const lane of lanes) {
      expect(await lane.caughtUp(180_000, (id) => !isBad(id))).toBe(true);
      const bad = lane.producer.acked.filter((a) => isBad(a.id)).map((a) => a.id);
      const dlqIds = async (): Promise<Set<string>> =>
        new Set((await readAll(lane.dlq!)).map((r) => idOf(r)!));
      let dead = await dlqIds();
      for (let i = 0; i < 50 && bad.some((id) => !dead.has(id)); i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        dead = await dlqIds();
      }
      const app = lane.apps[0]!;
      expect(app.running).toBe(true);
      expect(await app.stop()).toEqual({ code: 0, signal: null });
      expect(app.eventsOf('failed')).toEqual([]);

      const result = await lane.audit((id) => !isBad(id));
      const dlq = await readAll(lane.dlq!);
      const phases = new Map<string, number>();
      for (const r of dlq) {
        const phase = r.headers['x-error-phase']?.toString() ?? '?';
        phases.set(phase, (phases.get(phase) ?? 0) + 1);
        expect(r.headers['x-original-topic']?.toString()).toBe(lane.input);
        expect(r.headers['x-error-attempt']?.toString()).toBe('3');
        expect(r.headers['x-error-message']?.toString()).toMatch(/./);
      }
      const badOut = (await readAll(lane.output)).filter((r) => isBad(idOf(r)!));
      report(lane, result, {
        'bad records': bad.length,
        'in the DLQ': dead.size,
        'DLQ by phase': JSON.stringify(Object.fromEntries(phases)),
      });
      expect(result.missing).toEqual([]);
      expect(bad.filter((id) => !dead.has(id))).toEqual([]);
      expect(badOut).toEqual([]);
      expect(bad.length).toBeGreaterThan(SIZES.records / 100);
    }
  });
});
