import { spawn } from 'node:child_process';

/** How a program ended, and what it printed. */
export interface ProgramRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunUntilReadyOptions {
  readonly cwd: string;
  /** Output that says the program has done its work; then it gets Ctrl-C. */
  readonly ready: RegExp;
  /** A safety net: a program not ready by then is killed (SIGKILL), and the run shows why. */
  readonly timeoutMs?: number;
}

/**
 * Runs `node ...args` as a user runs a program from a terminal: waits until its stdout
 * matches `ready`, presses Ctrl-C (SIGINT), and resolves once it has exited.
 */
export const runUntilReady = (
  args: readonly string[],
  { cwd, ready, timeoutMs = 30_000 }: RunUntilReadyOptions,
): Promise<ProgramRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const safetyNet = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const wasReady = ready.test(stdout);
      stdout += chunk;
      if (!wasReady && ready.test(stdout)) child.kill('SIGINT');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(safetyNet);
      resolve({ code, signal, stdout, stderr });
    });
  });
