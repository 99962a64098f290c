import type { OrderData } from './orders';

/** The word-count benchmarks' input: a word per record, keyed by the word. */
export interface WordData extends OrderData {
  /** Distinct words. */
  readonly vocabulary: number;
  /** How often each word occurs. */
  readonly occurrences: ReadonlyMap<string, number>;
}

/**
 * `count` words from a vocabulary of `vocabulary` (`word-0000` ...), each record keyed by its
 * word: word i of a cycle, shuffled with a fixed seed so the partitions interleave. Every record
 * makes one count update, so `kept` is `count`.
 *
 * @example
 * const data = makeWords(100_000, 2000);
 */
export const makeWords = (count: number, vocabulary: number): WordData => {
  const words = Array.from({ length: vocabulary }, (_, i) => `word-${String(i).padStart(4, '0')}`);
  let seed = 7;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const keys: string[] = [];
  const occurrences = new Map<string, number>();
  for (let i = 0; i < count; i += 1) {
    const word = words[next() % vocabulary]!;
    keys.push(word);
    occurrences.set(word, (occurrences.get(word) ?? 0) + 1);
  }
  const meanBytes = keys.reduce((n, k) => n + k.length, 0) / Math.max(1, count);
  return { count, keys, values: keys, kept: count, meanBytes, vocabulary, occurrences };
};

/**
 * The per-key sum's input: the same keys as {@link makeWords}, each with an amount of 1 to 9
 * (a JSON number). Every record makes one sum update.
 *
 * @example
 * const data = makeAmounts(100_000, 2000);
 */
export const makeAmounts = (count: number, vocabulary: number): WordData => {
  const words = makeWords(count, vocabulary);
  return { ...words, values: words.keys.map((_, i) => String(1 + ((i * 7) % 9))) };
};
