/**
 * A line diff of `expected` against `actual`, as a test runner prints one: lines both hold
 * start with two spaces, lines only `expected` holds with `- `, lines only `actual` holds
 * with `+ `, in the order of a longest common subsequence (marble diagrams are a few lines:
 * the quadratic table is cheap).
 *
 * @example
 * lineDiff(['frame 1: next a', 'frame 2: complete'], ['frame 1: next a', 'frame 3: complete']);
 * // ['  frame 1: next a', '- frame 2: complete', '+ frame 3: complete']
 */
export const lineDiff = (expected: readonly string[], actual: readonly string[]): string[] => {
  // common[i][j]: the length of the longest common subsequence of expected[i..] and actual[j..].
  const common = Array.from({ length: expected.length + 1 }, () =>
    new Array<number>(actual.length + 1).fill(0),
  );
  for (let i = expected.length - 1; i >= 0; i--) {
    for (let j = actual.length - 1; j >= 0; j--) {
      common[i]![j] =
        expected[i] === actual[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < expected.length || j < actual.length) {
    if (i < expected.length && j < actual.length && expected[i] === actual[j]) {
      lines.push(`  ${expected[i++]!}`);
      j++;
    } else if (
      j === actual.length ||
      (i < expected.length && common[i + 1]![j]! >= common[i]![j + 1]!)
    ) {
      lines.push(`- ${expected[i++]!}`);
    } else {
      lines.push(`+ ${actual[j++]!}`);
    }
  }
  return lines;
};
