import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, so memory baselines do not carry the previous run's garbage.
 * `npm run bench` runs without `--expose-gc`, so the flag is set at run time and `gc`
 * is taken from a fresh context, where V8 installs it.
 *
 * @example
 * collectGarbage();
 * const baseline = process.memoryUsage().heapUsed;
 */
export const collectGarbage: () => void = (() => {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
