import {
  concatMap,
  filter,
  finalize,
  merge,
  mergeMap,
  Observable,
  type OperatorFunction,
  Subject,
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
 * A key's records, one after another, and up to `maxConcurrency` records at once: a bounded
 * `mergeMap` fed only with records whose key is free. A record whose key is busy (its record
 * before is running, or waiting for a slot) waits in its key's queue, and enters the merge
 * once that record is released: each key keeps its offset order with one record running at
 * most, and a key queued behind busy keys gets its slot in turn (the merge's queue is first
 * come, first served), so no key starves. A key's queue goes once it is empty: memory follows
 * the records held (bounded by the partition's buffer), not the key space.
 */
const byKey =
  (
    maxConcurrency: number,
    run: (record: RawRecord) => Observable<never>,
  ): OperatorFunction<RawRecord, never> =>
  (records) =>
    new Observable<never>((subscriber) => {
      /** Busy keys: a record of theirs is in the merge; behind it, their queued records. */
      const queued = new Map<KeyId, RawRecord[]>();
      const freed = new Subject<RawRecord>();
      let ended = false;
      let sourceDone = false;
      // The merge completes once the records have and nothing of any key is left.
      const completeIfIdle = (): void => {
        if (sourceDone && queued.size === 0) freed.complete();
      };
      const released = (key: KeyId): void => {
        const next = queued.get(key)!.shift();
        if (next !== undefined) {
          if (!ended) freed.next(next);
          return;
        }
        queued.delete(key);
        completeIfIdle();
      };
      const free = records.pipe(
        filter((record) => {
          const key = keyOf(record);
          const queue = queued.get(key);
          if (queue === undefined) queued.set(key, []);
          else queue.push(record);
          return queue === undefined;
        }),
        finalize(() => {
          sourceDone = true;
          completeIfIdle();
        }),
      );
      const running = merge(free, freed)
        .pipe(
          mergeMap(
            (record) => run(record).pipe(finalize(() => released(keyOf(record)))),
            maxConcurrency,
          ),
        )
        .subscribe(subscriber);
      return () => {
        // Records stopped on the way out free their keys: nothing more may start.
        ended = true;
        running.unsubscribe();
      };
    });

/**
 * A partition's records run through `run` (each record's inner pipeline) in the chosen
 * ordering: the `concatMap` of the seed, a bounded `mergeMap` fed one record per key at a
 * time, or a bounded `mergeMap`.
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
