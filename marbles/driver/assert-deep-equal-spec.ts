import { AssertionError } from 'assert';
import { assertDeepEqual } from './assert-deep-equal';

describe('assertDeepEqual', () => {
  it('should compare with the global expect, so asymmetric matchers work', () => {
    expect(() => assertDeepEqual({ a: 1, at: 5 }, { a: 1, at: expect.any(Number) })).not.toThrow();
    expect(() => assertDeepEqual({ a: 1 }, { a: 2 })).toThrow(/toEqual/);
  });

  it('should fall back to assert.deepStrictEqual when there is no global expect', () => {
    const global = globalThis as { expect?: unknown };
    const saved = global.expect;
    let equal: unknown = 'not run';
    let different: unknown;
    global.expect = undefined;
    try {
      equal = assertDeepEqual({ a: [1, Buffer.from('x')] }, { a: [1, Buffer.from('x')] });
      assertDeepEqual({ a: 1 }, { a: 2 });
    } catch (e) {
      different = e;
    } finally {
      global.expect = saved;
    }

    expect(equal).toBeUndefined();
    expect(different).toBeInstanceOf(AssertionError);
  });
});
