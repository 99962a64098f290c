import type { RawRecord } from '../../../lib/record/stream-record';
import type { AckedInput } from './sequence-producer';

/** The id (`key:seq`) a record carries, also in a malformed value (it starts with it). */
export const idOf = (record: RawRecord): string | undefined =>
  /"id":"([^"]+)"/.exec(record.value?.toString('utf8') ?? '')?.[1];

/** What one run of a scenario did, for one app. */
export interface Audit {
  /** Records in the input topic, and how many of them the producer saw acknowledged. */
  readonly inputs: number;
  readonly acked: number;
  /** Records in the output topic, and how many distinct ids they carry. */
  readonly outputs: number;
  readonly distinct: number;
  /** Acknowledged inputs with no output (at-least-once says: none). */
  readonly missing: readonly string[];
  /** Outputs beyond the first of each id (at-least-once allows them). */
  readonly duplicates: number;
  /** First outputs of a key that came out before an earlier input of the same key. */
  readonly orderViolations: number;
}

/** Counts ids, each record once. */
const countIds = (records: readonly RawRecord[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const r of records) {
    const id = idOf(r);
    if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
};

/** Ids per key in the order the records are given (one partition's order per key). */
const firstOccurrencesPerKey = (records: readonly RawRecord[]): Map<string, string[]> => {
  const perKey = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const r of records) {
    const id = idOf(r);
    if (id === undefined || seen.has(id)) continue;
    seen.add(id);
    const key = id.slice(0, id.lastIndexOf(':'));
    const ids = perKey.get(key);
    if (ids === undefined) perKey.set(key, [id]);
    else ids.push(id);
  }
  return perKey;
};

/**
 * Compares what went in with what came out: `expected` are the ids that must come out (the
 * acknowledged inputs, less those meant for the DLQ), `output` what the output topic holds.
 */
export const audit = (
  input: readonly RawRecord[],
  output: readonly RawRecord[],
  acked: readonly AckedInput[],
  expected: (id: string) => boolean = () => true,
): Audit => {
  const outputs = countIds(output);
  const inputs = countIds(input);
  const missing = acked.map((a) => a.id).filter((id) => expected(id) && !outputs.has(id));
  let duplicates = 0;
  for (const [id, n] of outputs) duplicates += n - Math.min(n, inputs.get(id) ?? 1);
  const inputOrder = firstOccurrencesPerKey(input);
  const rank = new Map<string, number>();
  for (const ids of inputOrder.values()) ids.forEach((id, i) => rank.set(id, i));
  let orderViolations = 0;
  for (const ids of firstOccurrencesPerKey(output).values()) {
    let highest = -1;
    for (const id of ids) {
      const r = rank.get(id) ?? -1;
      if (r < highest) orderViolations += 1;
      highest = Math.max(highest, r);
    }
  }
  return {
    inputs: input.length,
    acked: acked.length,
    outputs: output.length,
    distinct: outputs.size,
    missing,
    duplicates,
    orderViolations,
  };
};

/** One line of figures for the run's report. */
export const describeAudit = (
  label: string,
  a: Audit,
  extra: Record<string, unknown> = {},
): string =>
  `${label}: ${a.inputs} inputs (${a.acked} acknowledged), ${a.outputs} outputs, ` +
  `${a.missing.length} missing, ${a.duplicates} duplicates, ${a.orderViolations} order violations` +
  Object.entries(extra)
    .map(([k, v]) => `, ${k} ${String(v)}`)
    .join('');
