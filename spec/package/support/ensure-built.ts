import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const root = path.join(__dirname, '..', '..', '..');

// Suites of one Jest run, and other people's runs in the same checkout, build dist/ one at a
// time: two tsup runs cleaning and writing the same dist/ leave half a package.
const LOCK = path.join(root, 'node_modules', '.cache', 'rx-kstreams-dist.lock');

/** The newest modification time of the files below `dir` that go into the build (not specs). */
const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return Math.max(latest, newest(file));
    return entry.name.endsWith('-spec.ts') ? latest : Math.max(latest, statSync(file).mtimeMs);
  }, 0);

const stale = (): boolean => {
  const built = path.join(root, 'dist', 'esm', 'index.mjs');
  const sources = Math.max(newest(path.join(root, 'lib')), newest(path.join(root, 'marbles')));
  return !existsSync(built) || statSync(built).mtimeMs < sources;
};

/** Whether the process that holds the lock still runs (a lock just taken has no pid yet). */
const holderAlive = (): boolean => {
  let pid: number;
  try {
    pid = Number(readFileSync(LOCK, 'utf8'));
  } catch {
    return false; // released
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const takeLock = (): boolean => {
  try {
    writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const build = async (): Promise<void> => {
  try {
    await promisify(execFile)('npx', ['tsup'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsup failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
};

/**
 * Builds `dist/` (tsup) unless it is newer than every source file. When another process is
 * building it, waits for that build and uses it.
 */
export const ensureBuilt = async (): Promise<void> => {
  mkdirSync(path.dirname(LOCK), { recursive: true });
  while (!takeLock()) {
    if (holderAlive()) {
      while (existsSync(LOCK) && holderAlive()) await sleep(200);
      if (!existsSync(LOCK)) return;
    }
    rmSync(LOCK, { force: true }); // left by a process that died building
  }
  try {
    if (stale()) await build();
  } finally {
    rmSync(LOCK, { force: true });
  }
};
