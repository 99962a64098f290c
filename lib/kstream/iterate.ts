/**
 * Maps what a `flatMap`-style callback returned, refusing a value that is not iterable
 * with an error naming the operator (rather than emitting nothing). Internal.
 *
 * @example
 * iterate(values, 'flatMapValues', (value) => ({ ...record, value }));
 */
export const iterate = <T, R>(values: Iterable<T>, operator: string, f: (value: T) => R): R[] => {
  if (typeof (values as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] !== 'function') {
    throw new TypeError(`the ${operator} callback returned ${String(values)}, not an iterable`);
  }
  return Array.from(values, f);
};
