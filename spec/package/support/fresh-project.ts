import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');

/** A user's new project: its package type and its compiler options. */
export interface ProjectKind {
  readonly name: string;
  readonly type: 'commonjs' | 'module';
  /** Beyond `strict` and `target`; JavaScript goes to `out/` unless `noEmit`. */
  readonly compilerOptions: Readonly<Record<string, unknown>>;
}

/**
 * What `npm install rx-kstreams kafkajs` puts in node_modules, besides rx-kstreams itself: its
 * dependencies (read from package.json, so one added there is installed here too), kafkajs and
 * Node's types.
 */
const INSTALLED = [
  ...Object.keys(
    (
      JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies,
  ),
  'kafkajs',
  '@types/node',
];

/**
 * Makes a project in `dir` with `files` as its sources and the packed `tarball` installed as
 * npm would, without the network: the tarball extracted to node_modules/rx-kstreams, the
 * packages it needs linked from this repository's node_modules.
 */
export const freshProject = (
  dir: string,
  kind: ProjectKind,
  tarball: string,
  files: Record<string, string>,
): string => {
  const installed = path.join(dir, 'node_modules', 'rx-kstreams');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const name of INSTALLED) {
    mkdirSync(path.dirname(path.join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(path.join(root, 'node_modules', name), path.join(dir, 'node_modules', name), 'dir');
  }
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(
    path.join(dir, 'package.json'),
    json({ name: path.basename(dir), private: true, type: kind.type }),
  );
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    json({
      compilerOptions: {
        target: 'es2022',
        strict: true,
        outDir: 'out',
        rootDir: '.',
        ...kind.compilerOptions,
      },
      include: Object.keys(files),
    }),
  );
  for (const [name, source] of Object.entries(files)) writeFileSync(path.join(dir, name), source);
  return dir;
};

/** What tsc said about a project: its exit status and its diagnostics. */
export interface Compiled {
  readonly status: number;
  readonly output: string;
}

/** Compiles (or type-checks) the project with this repository's TypeScript. */
export const compile = (dir: string): Promise<Compiled> =>
  new Promise((resolve) => {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    execFile(
      process.execPath,
      [tsc, '-p', '.', '--pretty', 'false'],
      { cwd: dir },
      (error, stdout, stderr) =>
        resolve({
          status: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          output: `${stdout}${stderr}`,
        }),
    );
  });
