/**
 * Offsets, one way. Everywhere in rx-kstreams (records, commits, lags, errors, stats) an
 * offset is a decimal string, as Kafka's clients hand it over: an int64 does not fit a
 * JavaScript number in general. Arithmetic on offsets is done here, in BigInt;
 * {@link offsetIndex} is the way to a number, for indexes kept in memory, and refuses an
 * offset a number cannot hold exactly. (Two places count in numbers on purpose: the
 * in-memory Kafka's own logs, and `batchOffsets`, which numbers a sent batch's records
 * from the broker's base offset while that stays exact.)
 *
 * @example
 * offsetAfter('41');            // '42'
 * compareOffsets('9', '10');    // -1 (numeric, not lexical)
 * offsetsBetween('10', '25');   // 15n
 */
export type Offset = string;

/** The offset of the record after `offset`: where reading resumes once it is done. */
export const offsetAfter = (offset: Offset): Offset => (BigInt(offset) + 1n).toString();

/** The offset of the record before `offset`. */
export const offsetBefore = (offset: Offset): Offset => (BigInt(offset) - 1n).toString();

/** -1, 0 or 1 as `a` is before, at or after `b`, compared as numbers. */
export const compareOffsets = (a: Offset, b: Offset): -1 | 0 | 1 => {
  if (a === b) return 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** How many records lie from `from` up to (not including) `to`; 0 when `to` is not after it. */
export const offsetsBetween = (from: Offset, to: Offset): bigint => {
  const between = BigInt(to) - BigInt(from);
  return between > 0n ? between : 0n;
};

/** True for a real offset (a decimal integer >= 0); Kafka's `-1` means "none". */
export const isOffset = (offset: Offset): boolean => /^\d+$/.test(offset);

/**
 * `offset` as a number, for an index kept in memory. Kafka offsets stay far below 2^53 in
 * practice (a partition appending a million records a second reaches it in 285 years);
 * one that does not is refused rather than rounded.
 */
export const offsetIndex = (offset: Offset): number => {
  const n = Number(offset);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(
      `offset ${offset} is not an integer below 2^53, which rx-kstreams' offset index needs`,
    );
  }
  return n;
};
