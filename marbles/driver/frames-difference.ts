import { inspect } from 'util';
import { lineDiff } from './line-diff';
import { isFrames, type MarbleFrame } from './marble-frames';

// Sorted keys: the same record prints the same whatever order its fields were set in.
const oneLine = (value: unknown): string =>
  inspect(value, { depth: Infinity, breakLength: Infinity, sorted: true }).replace(/\n\s*/g, ' ');

/** An error as one line: its name and message, then its fields (a stack says nothing here). */
const describeError = (error: unknown): string => {
  if (!(error instanceof Error)) return oneLine(error);
  const fields = Object.entries(error).filter(([key]) => key !== 'name' && key !== 'stack');
  if (error.cause !== undefined && !Object.keys(error).includes('cause')) {
    fields.push(['cause', error.cause]);
  }
  const described = fields.map(
    ([key, v]) => `${key}: ${v instanceof Error ? `${v.name}: ${v.message}` : oneLine(v)}`,
  );
  const head = `${error.name}: ${error.message}`;
  return described.length === 0 ? head : `${head} { ${described.join(', ')} }`;
};

const frameLine = ({ frame, notification }: MarbleFrame): string => {
  switch (notification.kind) {
    case 'N':
      return `frame ${frame}: next ${oneLine(notification.value)}`;
    case 'E':
      return `frame ${frame}: error ${describeError(notification.error)}`;
    case 'C':
      return `frame ${frame}: complete`;
    default:
      return `frame ${frame}: ${oneLine(notification)}`;
  }
};

const linesOf = (value: unknown): string[] => {
  if (isFrames(value)) return value.map(frameLine);
  if (Array.isArray(value)) return value.map(oneLine);
  return inspect(value, { depth: Infinity, sorted: true }).split('\n');
};

/** Whether `value` holds a Jest or Vitest asymmetric matcher (`expect.any(...)` and the like). */
const holdsMatcher = (value: unknown, seen = new Set<unknown>()): boolean => {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  if (typeof (value as { asymmetricMatch?: unknown }).asymmetricMatch === 'function') return true;
  return Object.values(value).some((v) => holdsMatcher(v, seen));
};

/**
 * Why `actual` and `expected` differ, for an assertion message: marble frames one line
 * each (`frame 3: next { key: 'k1', value: '42' }`, `frame 5: complete`), any other value as
 * `util.inspect` prints it, as a line diff (`- expected`, `+ actual`), with a note when the
 * two print alike or the expected side holds matchers node's assert cannot compare.
 *
 * @example
 * framesDifference(actualFrames, expectedFrames);
 * // The marble frames differ (- expected, + actual):
 * // - frame 2: complete
 * // + frame 3: complete
 */
export const framesDifference = (actual: unknown, expected: unknown): string => {
  const what = isFrames(actual) && isFrames(expected) ? 'The marble frames' : 'The values';
  const diff = lineDiff(linesOf(expected), linesOf(actual));
  const notes: string[] = [];
  if (diff.every((line) => line.startsWith('  '))) {
    notes.push(
      'They print alike: they differ in what util.inspect does not show (a prototype, a symbol key, a property that is not enumerable).',
    );
  }
  if (holdsMatcher(expected)) {
    notes.push(
      'The expected side holds matchers such as expect.any(...), which node:assert cannot apply: give testTopology the option { assertDeepEqual: (actual, expected) => expect(actual).toEqual(expected) }.',
    );
  }
  return [`${what} differ (- expected, + actual):`, ...diff, ...notes].join('\n');
};
