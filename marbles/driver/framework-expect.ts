/**
 * The part of a test framework's `expect` the marble kit compares frames with.
 *
 * @example
 * const compare: FrameworkExpect = expect; // Jest's or Vitest's
 */
export type FrameworkExpect = (actual: unknown) => { toEqual(expected: unknown): void };

/**
 * Where Vitest keeps its `expect` in every test worker, with or without `globals: true`
 * (`GLOBAL_EXPECT` of `@vitest/expect`): without globals, `expect` is otherwise only an
 * import from 'vitest', which a library cannot make without tying itself to Vitest.
 */
const VITEST_EXPECT = Symbol.for('expect-global');

/**
 * The `expect` of the test framework the kit runs under: the global one (Jest, Vitest with
 * `globals: true`), else Vitest's own (Vitest without globals), else undefined (node:test,
 * mocha, a script). Looked up at each comparison, as a framework may install it after the
 * kit is loaded.
 *
 * @example
 * const expect = frameworkExpect();
 * if (expect !== undefined) expect(actual).toEqual(expected);
 */
export const frameworkExpect = (): FrameworkExpect | undefined => {
  const global = globalThis as { expect?: unknown; [VITEST_EXPECT]?: unknown };
  for (const expect of [global.expect, global[VITEST_EXPECT]]) {
    if (typeof expect === 'function') return expect as FrameworkExpect;
  }
  return undefined;
};
