import { concatMap, from, map, type Observable, of } from 'rxjs';

/**
 * A result that is here now (a plain value) or comes later (an Observable that emits it).
 * User callbacks may return a value or a Promise; a topology runs a record through its
 * nodes with plain function calls while every callback returns a value, and turns into an
 * Observable pipeline only from the first node whose callback returned a Promise.
 *
 * @example
 * const topic: Eventual<string> = typeof extracted === 'string' ? extracted : from(extracted);
 */
export type Eventual<T> = T | Observable<T>;

/**
 * What a stateless step makes of one record: one record now (the common case, without an
 * array), any number now (an array), or later (an Observable of them). `T` is a record
 * type: never an array or an Observable itself.
 *
 * @example
 * const kept: Records<StreamRecord<string, number>> = record.value > 0 ? record : NONE;
 */
export type Records<T> = T | readonly T[] | Observable<T>;

/** No records: what a filter makes of the records it drops. */
export const NONE: readonly never[] = Object.freeze([]);

/**
 * Whether an eventual result comes later.
 *
 * @example
 * if (isLater(result)) return result.pipe(ignoreElements());
 */
export const isLater = <T>(result: Eventual<T>): result is Observable<T> =>
  // What rxjs's isObservable checks, without the module export getter it is reached through:
  // this runs for every sink and forEach of every record.
  typeof result === 'object' &&
  result !== null &&
  typeof (result as { subscribe?: unknown }).subscribe === 'function' &&
  typeof (result as { lift?: unknown }).lift === 'function';

/**
 * An eventual result as an Observable: the Observable itself, or one that emits the value.
 *
 * @example
 * source.pipe(concatMap((record) => eventually(node.producerRecord(record, name))));
 */
export const eventually = <T>(result: Eventual<T>): Observable<T> =>
  isLater(result) ? result : of(result);

export const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  // Booleans, strings and the like first, without a property lookup: this runs per node.
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/**
 * Continues a callback's result with `next`: at once when it is a plain value, after it
 * resolves when it is a Promise (as an Observable of `next`'s records, erroring when the
 * Promise rejects or `next` throws). Internal.
 *
 * @example
 * thenRecords(predicate(record.key, record.value, record), (keep) => (keep ? [record] : NONE));
 */
export const thenRecords = <T, R>(
  result: T | PromiseLike<T>,
  next: (value: T) => R | readonly R[],
): Records<R> =>
  isPromiseLike(result)
    ? from(result).pipe(concatMap((value) => manyOf(next(value))))
    : next(result);

/**
 * Records as an RxJS `ObservableInput`: the array or Observable as it is, one record in an
 * array.
 *
 * @example
 * source.pipe(concatMap((record) => manyOf(node.step(record))));
 */
export const manyOf = <R>(records: Records<R>): readonly R[] | Observable<R> =>
  Array.isArray(records) || isLater(records as Eventual<R>)
    ? (records as readonly R[] | Observable<R>)
    : [records as R];

/**
 * Continues a callback's result with `next`, as {@link thenRecords} does for one value.
 * Internal.
 *
 * @example
 * thenValue(extractTopic(key, value, record), checkedTopic); // Eventual<string>
 */
export const thenValue = <T, R>(result: T | PromiseLike<T>, next: (value: T) => R): Eventual<R> =>
  isPromiseLike(result) ? from(result).pipe(map(next)) : next(result);
