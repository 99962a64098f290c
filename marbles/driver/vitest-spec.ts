/**
 * The marble kit under Vitest: vitest-fixtures/ holds a passing and a deliberately failing
 * marble test, which its config runs with `globals: true` and without (where `expect` is
 * only an import from 'vitest'). Vitest runs once, in a child process, for every test here.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const fixtures = path.join(__dirname, 'vitest-fixtures');
const vitest = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const modes = ['globals', 'no-globals'] as const;
const file = 'upper-case.vitest.ts > upperCase';

let status: number | null;
let output: string;

/** What Vitest printed about the failed test of `mode`: its error and diff. */
const failureOf = (mode: (typeof modes)[number]): string => {
  const start = output.indexOf(`FAIL  |${mode}| ${file} > should fail`);
  expect(start).toBeGreaterThan(-1);
  const end = output.indexOf('⎯⎯⎯', start);
  return output.slice(start, end === -1 ? undefined : end);
};

beforeAll(() => {
  const run = spawnSync(
    process.execPath,
    [vitest, 'run', '--config', path.join(fixtures, 'vitest.config.ts'), '--reporter=verbose'],
    {
      cwd: fixtures,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        NO_COLOR: '1',
        FORCE_COLOR: undefined,
        VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
      },
    },
  );
  status = run.status;
  output = `${run.stdout}\n${run.stderr}`;
}, 60_000);

describe('the marble kit under Vitest', () => {
  it('should run both modes: two tests pass and two fail, so Vitest exits with 1', () => {
    expect(output).toMatch(/Tests +2 failed \| 2 passed \(4\)/);
    expect(status).toBe(1);
  });

  it.each(modes)('should pass the passing marble test, matchers included (%s)', (mode) => {
    expect(output).toContain(`✓ |${mode}| ${file} > should upper-case each word`);
  });

  it.each(modes)('should fail the failing one with a diff of frame and value (%s)', (mode) => {
    const failure = failureOf(mode);

    expect(output).toContain(
      `× |${mode}| ${file} > should fail: the second word is expected wrong`,
    );
    expect(failure).toMatch(/"frame": 3,\n\s+"kind": "next",\n\s+"value": \{\n\s+"key": "k2",/);
    expect(failure).toMatch(/^-\s+"value": "NO",$/m);
    expect(failure).toMatch(/^\+\s+"value": "YO",$/m);
    expect(failure).not.toContain('no visual difference');
  });
});
