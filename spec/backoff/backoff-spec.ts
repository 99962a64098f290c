import { ConfigError, exponentialBackoff, fixedBackoff } from 'rx-kstreams';

describe('fixedBackoff', () => {
  it('should wait the same delay after every attempt', () => {
    const backoff = fixedBackoff(250);
    expect([1, 2, 10].map(backoff)).toEqual([250, 250, 250]);
  });

  it('should refuse a negative delay, naming the option', () => {
    expect(() => fixedBackoff(-1)).toThrow(ConfigError);
    expect(() => fixedBackoff(Number.NaN)).toThrow(/fixedBackoff delayMs/);
  });
});

describe('exponentialBackoff', () => {
  it('should grow by the multiplier from initialMs and stop at maxMs', () => {
    const backoff = exponentialBackoff({ initialMs: 100, maxMs: 1000, multiplier: 3 });
    expect([1, 2, 3, 4, 5].map(backoff)).toEqual([100, 300, 900, 1000, 1000]);
  });

  it('should take sensible defaults', () => {
    const backoff = exponentialBackoff();
    expect([1, 2, 3].map(backoff)).toEqual([100, 200, 400]);
    expect(backoff(100)).toBe(30_000);
  });

  it('should take an option given as undefined as not given', () => {
    const backoff = exponentialBackoff({
      initialMs: undefined,
      maxMs: undefined,
      multiplier: undefined,
      jitter: undefined,
      random: undefined,
    });
    expect([1, 2, 3, 100].map(backoff)).toEqual([100, 200, 400, 30_000]);
  });

  it('should shorten a delay by at most the jitter fraction', () => {
    const low = exponentialBackoff({ initialMs: 1000, jitter: 0.5, random: () => 0.999 });
    const high = exponentialBackoff({ initialMs: 1000, jitter: 0.5, random: () => 0 });
    expect(low(1)).toBe(500);
    expect(high(1)).toBe(1000);
  });

  it('should spread delays when jitter uses real randomness', () => {
    const backoff = exponentialBackoff({ initialMs: 1000, jitter: 1 });
    const delays = new Set(Array.from({ length: 50 }, () => backoff(1)));
    expect(delays.size).toBeGreaterThan(1);
    for (const d of delays) expect(d).toBeLessThanOrEqual(1000);
  });

  it.each([
    [{ initialMs: -1 }, /initialMs/],
    [{ initialMs: 100, maxMs: 50 }, /maxMs/],
    [{ multiplier: 0.5 }, /multiplier/],
    [{ jitter: 2 }, /jitter/],
  ])('should refuse %j', (options, message) => {
    expect(() => exponentialBackoff(options)).toThrow(message);
  });
});
