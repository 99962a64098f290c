import { AssertionError } from 'assert';
import { isDeepStrictEqual } from 'util';
import { frameworkExpect } from './framework-expect';
import { framesDifference } from './frames-difference';
import { isFrames, readableFrames } from './marble-frames';

/**
 * The default comparison of actual and expected marble frames. Under Jest or Vitest (with or
 * without `globals: true`) it is the framework's `expect(actual).toEqual(expected)`, so
 * asymmetric matchers such as `expect.any(ProcessingError)` work and the framework prints
 * its own diff, of frames written `{ frame: 3, kind: 'next', value }` (`'error'` with
 * `error`, `'complete'`) so that the frame of a difference shows next to it. Elsewhere (node:test, mocha, a script) it is Node's strict deep equality,
 * failing with an `AssertionError` whose message is a frame-by-frame diff:
 *
 *     The marble frames differ (- expected, + actual):
 *       frame 1: next { key: null, value: 'HI' }
 *     - frame 2: complete
 *     + frame 3: complete
 *
 * Another framework's comparison goes in `testTopology`'s `assertDeepEqual` option.
 *
 * @example
 * new TestScheduler(assertDeepEqual);
 */
export const assertDeepEqual = (actual: unknown, expected: unknown): void => {
  const expect = frameworkExpect();
  if (expect !== undefined) {
    if (isFrames(actual) && isFrames(expected)) {
      expect(readableFrames(actual)).toEqual(readableFrames(expected));
    } else {
      expect(actual).toEqual(expected);
    }
    return;
  }
  if (isDeepStrictEqual(actual, expected)) return;
  // No operator: with 'deepStrictEqual', node would append its own diff, which skips lines.
  throw new AssertionError({ message: framesDifference(actual, expected), actual, expected });
};
