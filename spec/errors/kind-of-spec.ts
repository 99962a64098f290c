import { kindOf } from '../../lib/errors/kind-of';

describe('kindOf', () => {
  it('should name null, undefined and arrays', () => {
    expect(kindOf(null)).toBe('null');
    expect(kindOf(undefined)).toBe('undefined');
    expect(kindOf([1])).toBe('an array');
  });

  it('should name a class instance by its constructor and a plain object as an object', () => {
    expect(kindOf(new Uint8Array(2))).toBe('a Uint8Array');
    expect(kindOf(new Map())).toBe('a Map');
    expect(kindOf({ a: 1 })).toBe('an object');
    expect(kindOf(Object.create(null))).toBe('an object');
  });

  it('should name a primitive by its type', () => {
    expect(kindOf(42)).toBe('a number');
    expect(kindOf('x')).toBe('a string');
    expect(kindOf(() => 1)).toBe('a function');
  });
});
