import { ConfigError } from './config-error';
import { describeValue } from './kind-of';

/**
 * The option names an options object may carry, as an object whose keys the compiler checks
 * against the options' type (a name missing or misspelled here is a type error).
 */
export type KnownKeys<T> = { readonly [K in keyof Required<T>]: true };

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`, case aside. */
const distance = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i += 1) {
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
};

/** The known name closest to `name`, when it is close enough to be the one meant. */
export const nearestName = (name: string, known: readonly string[]): string | undefined => {
  let nearest: string | undefined;
  let best = Infinity;
  for (const candidate of known) {
    const d = distance(name, candidate);
    if (d < best) {
      best = d;
      nearest = candidate;
    }
  }
  return best <= Math.max(2, Math.floor(name.length / 3)) ? nearest : undefined;
};

/**
 * Refuses an options object that is not an object, or that carries a key `known` does not
 * name: a ConfigError that names the key, suggests the nearest known one and lists them all.
 * `undefined` stands for "no options".
 *
 * @example
 * checkKnownKeys('partitionedRunner', { channelBuferSize: 10 }, PARTITIONED_KEYS);
 * // ConfigError: invalid option channelBuferSize: partitionedRunner has no such option;
 * // did you mean channelBufferSize? (it takes: channelBufferSize, drainTimeoutMs, ...)
 */
export const checkKnownKeys = <T>(what: string, options: unknown, known: KnownKeys<T>): void => {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(what, `options must be an object, got ${describeValue(options)}`);
  }
  const names = Object.keys(known);
  for (const key of Object.keys(options)) {
    if (Object.prototype.hasOwnProperty.call(known, key)) continue;
    const nearest = nearestName(key, names);
    throw new ConfigError(
      key,
      `${what} has no such option${nearest === undefined ? '' : `; did you mean ${nearest}?`} (it takes: ${names.join(', ')})`,
    );
  }
};
