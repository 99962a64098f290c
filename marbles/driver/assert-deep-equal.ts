import { deepStrictEqual } from 'assert';

type ToEqual = (actual: unknown) => { toEqual(expected: unknown): void };

/**
 * The default comparison of actual and expected marble frames: the test framework's
 * `expect(actual).toEqual(expected)` when there is a global `expect` (Jest, Vitest), so
 * asymmetric matchers such as `expect.any(ProcessingError)` work; Node's
 * `assert.deepStrictEqual` otherwise.
 *
 * @example
 * new TestScheduler(assertDeepEqual);
 */
export const assertDeepEqual = (actual: unknown, expected: unknown): void => {
  const expect = (globalThis as { expect?: unknown }).expect;
  if (typeof expect === 'function') (expect as ToEqual)(actual).toEqual(expected);
  else deepStrictEqual(actual, expected);
};
