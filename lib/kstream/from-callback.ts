import { defer, from, type Observable, of } from 'rxjs';

const isPromiseLike = <T>(value: T | PromiseLike<T>): value is PromiseLike<T> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function';

/**
 * Runs a user callback when subscribed: a plain result is emitted synchronously (so marble
 * tests stay in virtual time), a Promise through `from`; a throw or a rejection errors.
 * Internal.
 *
 * @example
 * fromCallback(() => predicate(record.key, record.value, record)); // Observable<boolean>
 */
export const fromCallback = <T>(callback: () => T | PromiseLike<T>): Observable<T> =>
  defer(() => {
    const result = callback();
    return isPromiseLike(result) ? from(result) : of(result);
  });
