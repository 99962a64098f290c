import { AssertionError } from 'assert';
import { TestScheduler } from 'rxjs/testing';
import { ProcessingError } from '../../lib/errors/processing-error';
import { assertDeepEqual } from './assert-deep-equal';

type Globals = { expect?: unknown; [key: symbol]: unknown };
const globals = globalThis as Globals;
const VITEST_EXPECT = Symbol.for('expect-global');

/** Runs `body` with no global `expect` and `vitestExpect` where Vitest keeps its own. */
const withExpects = <T>(vitestExpect: unknown, body: () => T): T => {
  const saved = { expect: globals.expect, vitest: globals[VITEST_EXPECT] };
  globals.expect = undefined;
  globals[VITEST_EXPECT] = vitestExpect;
  try {
    return body();
  } finally {
    globals.expect = saved.expect;
    globals[VITEST_EXPECT] = saved.vitest;
  }
};

/** What assertDeepEqual throws for a run of `actual` expected as `expected`, without any expect. */
const failureOf = (run: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void) =>
  withExpects(undefined, () => {
    try {
      new TestScheduler(assertDeepEqual).run(run);
    } catch (error) {
      return error;
    }
    return undefined;
  });

describe('assertDeepEqual', () => {
  it('should compare with the global expect, so asymmetric matchers work', () => {
    expect(() => assertDeepEqual({ a: 1, at: 5 }, { a: 1, at: expect.any(Number) })).not.toThrow();
    expect(() => assertDeepEqual({ a: 1 }, { a: 2 })).toThrow(/toEqual/);
  });

  it('should compare with Vitest’s expect when Vitest runs without globals', () => {
    const compared: unknown[] = [];
    const vitestExpect = (actual: unknown) => ({
      toEqual: (expected: unknown) => compared.push([actual, expected]),
    });

    withExpects(vitestExpect, () => assertDeepEqual({ a: 1 }, { a: 2 }));

    expect(compared).toEqual([[{ a: 1 }, { a: 2 }]]);
  });

  describe('without a test framework', () => {
    it('should pass equal frames, Buffers included', () => {
      expect(
        withExpects(undefined, () =>
          assertDeepEqual({ a: [1, Buffer.from('x')] }, { a: [1, Buffer.from('x')] }),
        ),
      ).toBeUndefined();
    });

    it('should fail with an AssertionError that diffs the frames line by line', () => {
      const failure = failureOf(({ cold, expectObservable }) => {
        const source = cold('-a-|', { a: { key: null, value: 'HI' } });
        expectObservable(source).toBe('-a--|', { a: { key: null, value: 'HI' } });
      });

      expect(failure).toBeInstanceOf(AssertionError);
      expect((failure as AssertionError).message).toBe(
        [
          'The marble frames differ (- expected, + actual):',
          "  frame 1: next { key: null, value: 'HI' }",
          '- frame 4: complete',
          '+ frame 3: complete',
        ].join('\n'),
      );
    });

    it('should name the value that differs and an error by its message and fields', () => {
      const error = new ProcessingError({ nodeName: 'MAP-0000000002', cause: new Error('boom') });
      const failure = failureOf(({ cold, expectObservable }) => {
        const source = cold('-a#', { a: { key: 'k', value: 'HI' } }, error);
        expectObservable(source).toBe('-a#', { a: { key: 'k', value: 'HO' } }, error);
      });

      expect((failure as AssertionError).message).toBe(
        [
          'The marble frames differ (- expected, + actual):',
          "- frame 1: next { key: 'k', value: 'HO' }",
          "+ frame 1: next { key: 'k', value: 'HI' }",
          "  frame 2: error ProcessingError: node MAP-0000000002 failed: boom { phase: 'processing', nodeName: 'MAP-0000000002', topic: undefined, partition: undefined, offset: undefined, cause: Error: boom }",
        ].join('\n'),
      );
    });

    it('should say so when the frames print alike', () => {
      const failure = withExpects(undefined, () => {
        try {
          assertDeepEqual([Object.create({ inherited: true })], [{}]);
        } catch (e) {
          return e;
        }
      });

      expect((failure as AssertionError).message).toMatch(
        /^The values differ \(- expected, \+ actual\):\n {2}\{\}\nThey print alike: they differ in what util.inspect does not show/,
      );
    });

    it('should say how to compare with matchers, which node’s assert cannot apply', () => {
      const anyNumber = expect.any(Number);
      const failure = failureOf(({ cold, expectObservable }) => {
        expectObservable(cold('-a|', { a: 1 })).toBe('-a|', { a: anyNumber });
      });

      expect((failure as AssertionError).message).toContain(
        'The expected side holds matchers such as expect.any(...), which node:assert cannot apply: give testTopology the option { assertDeepEqual: (actual, expected) => expect(actual).toEqual(expected) }.',
      );
    });
  });
});
