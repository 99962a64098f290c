import {
  concatMap,
  defer,
  finalize,
  groupBy,
  mergeMap,
  type Observable,
  type OperatorFunction,
  ReplaySubject,
  Subject,
  tap,
} from 'rxjs';
import { ConfigError } from '../errors/config-error';
import { describeValue } from '../errors/kind-of';
import { requireInteger } from '../errors/require-integer';
import type { RawRecord } from '../record/stream-record';

/**
 * How the partitioned runner orders a partition's records:
 * - `'partition'` (default): one record at a time, in offset order (the seed's behaviour);
 * - `'key'`: up to `maxConcurrency` records at once, never two with the same key, each key's
 *   records in offset order (records without a key count as one key);
 * - `'unordered'`: up to `maxConcurrency` records at once, in no order.
 * In every mode only the contiguous prefix of finished offsets is committed.
 */
export type Ordering = 'partition' | 'key' | 'unordered';

const ORDERINGS: readonly Ordering[] = ['partition', 'key', 'unordered'];

/** The group of records without a key: they keep their order among themselves. */
const NO_KEY = Symbol('no key');

type KeyId = string | typeof NO_KEY;

/** The key's identity: its bytes as a latin1 string (one character per byte), or NO_KEY. */
const keyOf = (record: RawRecord): KeyId =>
  record.key === null ? NO_KEY : record.key.toString('latin1');

/**
 * Checks `ordering` and `maxConcurrency` when the runner is built.
 *
 * @example
 * requireOrdering('key', 100); // { ordering: 'key', maxConcurrency: 100 }
 */
export const requireOrdering = (
  ordering: unknown = 'partition',
  maxConcurrency: unknown = 16,
): { ordering: Ordering; maxConcurrency: number } => {
  if (!ORDERINGS.includes(ordering as Ordering)) {
    throw new ConfigError(
      'ordering',
      `must be 'partition', 'key' or 'unordered', got ${describeValue(ordering)}`,
    );
  }
  requireInteger('maxConcurrency', maxConcurrency, 1);
  return { ordering: ordering as Ordering, maxConcurrency: maxConcurrency as number };
};

/**
 * A key's records, one after another: a `concatMap` per key, the keys' groups ended once
 * idle (nothing of the key queued or running), so memory follows the records held, not the
 * key space; at most `maxConcurrency` keys run at once (`mergeMap`), so at most that many
 * records. A group's records are kept until it runs (a ReplaySubject, bounded by the
 * partition's buffer).
 */
const byKey =
  (
    maxConcurrency: number,
    run: (record: RawRecord) => Observable<never>,
  ): OperatorFunction<RawRecord, never> =>
  (records) =>
    defer(() => {
      const held = new Map<KeyId, number>();
      const idle = new Map<KeyId, Subject<void>>();
      const released = (key: KeyId): void => {
        const left = held.get(key)! - 1;
        if (left > 0) {
          held.set(key, left);
          return;
        }
        held.delete(key);
        const ended = idle.get(key);
        idle.delete(key);
        ended?.next();
      };
      return records.pipe(
        tap((record) => {
          const key = keyOf(record);
          held.set(key, (held.get(key) ?? 0) + 1);
        }),
        groupBy(keyOf, {
          duration: (group) => {
            const ended = new Subject<void>();
            idle.set(group.key, ended);
            return ended;
          },
          // Unbounded here: what a group can hold is bounded by the partition's buffer.
          connector: () => new ReplaySubject<RawRecord>(Number.POSITIVE_INFINITY),
        }),
        mergeMap(
          (group) =>
            group.pipe(
              concatMap((record) => run(record).pipe(finalize(() => released(group.key)))),
            ),
          maxConcurrency,
        ),
      );
    });

/**
 * A partition's records run through `run` (each record's inner pipeline) in the chosen
 * ordering: the `concatMap` of the seed, a `concatMap` per key merged with bounded
 * concurrency, or a bounded `mergeMap`.
 *
 * @example
 * group.pipe(ordered('key', 100, (record) => task.run(record)));
 */
export const ordered = (
  ordering: Ordering,
  maxConcurrency: number,
  run: (record: RawRecord) => Observable<never>,
): OperatorFunction<RawRecord, never> => {
  switch (ordering) {
    case 'partition':
      return concatMap(run);
    case 'unordered':
      return mergeMap(run, maxConcurrency);
    case 'key':
      return byKey(maxConcurrency, run);
  }
};
