import { from, Observable } from 'rxjs';

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
  // One Observable per call rather than defer + of: this runs for every node of every record.
  new Observable<T>((subscriber) => {
    let result: T | PromiseLike<T>;
    try {
      result = callback();
    } catch (error) {
      subscriber.error(error);
      return undefined;
    }
    if (isPromiseLike(result)) return from(result).subscribe(subscriber);
    subscriber.next(result);
    subscriber.complete();
    return undefined;
  });
