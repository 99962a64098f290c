import { ConfigError } from 'rx-kstreams';
import { describeValue, kindOf } from '../../lib/errors/kind-of';
import { requireInteger } from '../../lib/errors/require-integer';

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

describe('describeValue', () => {
  it('should show a primitive with its type, so "1000" is not read as 1000', () => {
    expect(describeValue('1000')).toBe('a string "1000"');
    expect(describeValue(1.5)).toBe('a number 1.5');
    expect(describeValue(true)).toBe('a boolean true');
    expect(describeValue(10n)).toBe('a bigint 10');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
  });

  it('should show an object by its kind only', () => {
    expect(describeValue({ secret: 'x' })).toBe('an object');
    expect(describeValue(Buffer.from('x'))).toBe('a Buffer');
  });
});

describe('requireInteger', () => {
  it('should return an integer at the bound or above', () => {
    expect(requireInteger('n', 0, 0)).toBe(0);
    expect(requireInteger('n', 7, 1)).toBe(7);
  });

  it.each([
    [0, 'got 0'],
    [2.5, 'got 2.5'],
    [Number.NaN, 'got NaN'],
    ['5', 'got a string "5"'],
    [undefined, 'got undefined'],
  ])('should refuse %p with a ConfigError naming the option and the bound', (value, got) => {
    expect(() => requireInteger('maxPollRecords', value, 1)).toThrow(ConfigError);
    expect(() => requireInteger('maxPollRecords', value, 1)).toThrow(
      `invalid option maxPollRecords: must be an integer >= 1, ${got}`,
    );
  });
});
