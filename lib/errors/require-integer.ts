import { ConfigError } from './config-error';
import { describeValue } from './kind-of';

/**
 * `value` if it is an integer at least `min`; else a ConfigError naming `option`, the bound
 * and what was given (its type too, so `'100'` is not mistaken for `100`).
 *
 * @example
 * requireInteger('channelBufferSize', 200, 1); // 200
 * requireInteger('channelBufferSize', '200', 1);
 * // ConfigError: invalid option channelBufferSize: must be an integer >= 1, got a string "200"
 */
export const requireInteger = (option: string, value: unknown, min: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const got = typeof value === 'number' ? String(value) : describeValue(value);
    throw new ConfigError(option, `must be an integer >= ${min}, got ${got}`);
  }
  return value;
};
