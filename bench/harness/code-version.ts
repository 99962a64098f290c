import { execFileSync } from 'node:child_process';

/**
 * The commit the benchmarks ran on, `+ changes` when the working tree differs from it,
 * or 'unknown' outside a git checkout.
 *
 * @example
 * codeVersion(); // 'a6ce5e5 + uncommitted changes'
 */
export const codeVersion = (): string => {
  try {
    const run = (...args: string[]): string =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const sha = run('rev-parse', '--short', 'HEAD');
    const dirty = run('status', '--porcelain', '--', 'lib').length > 0;
    return dirty ? `${sha} + uncommitted changes in lib/` : sha;
  } catch {
    return 'unknown';
  }
};
