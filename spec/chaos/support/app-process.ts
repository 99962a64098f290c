import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChaosAppSettings } from './chaos-app-settings';

const ROOT = resolve(__dirname, '../../..');
const APP = join(__dirname, 'chaos-app.ts');
/** Where each app process's output goes, for a look after a failed run (gitignored). */
export const CHAOS_LOG_DIR = join(ROOT, '.cache/chaos');

/** Every app process still running: none may outlive the suite's process. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** One JSON line a chaos app printed. */
export interface AppEvent {
  readonly event: string;
  readonly at: number;
  readonly [field: string]: unknown;
}

/** How a chaos app process ended. */
export interface AppExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * A chaos app running in a process of its own (Node over the sources, through tsx), its events
 * collected.
 *
 * @example
 * const app = AppProcess.start({ name: 'a1', ... });
 * await app.until((e) => e.event === 'started');
 * app.kill('SIGKILL'); await app.exited;
 */
export class AppProcess {
  readonly events: AppEvent[] = [];
  readonly exited: Promise<AppExit>;
  private readonly child: ChildProcess;

  private constructor(
    readonly settings: ChaosAppSettings,
    env: NodeJS.ProcessEnv,
  ) {
    mkdirSync(CHAOS_LOG_DIR, { recursive: true });
    const log = createWriteStream(join(CHAOS_LOG_DIR, `${settings.name}.log`), { flags: 'a' });
    // Node itself with tsx as a loader, not the tsx command: that one runs the app in a child
    // process of its own, which a SIGKILL of the command would leave running.
    this.child = spawn(process.execPath, ['--import', 'tsx', APP], {
      cwd: ROOT,
      env: { ...process.env, ...env, CHAOS_APP: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this.child);
    this.child.stderr!.pipe(log);
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      log.write(`${line}\n`);
      try {
        this.events.push(JSON.parse(line) as AppEvent);
      } catch {
        this.events.push({ event: 'output', at: Date.now(), line });
      }
    });
    this.exited = new Promise((done) => {
      this.child.on('exit', (code, signal) => {
        running.delete(this.child);
        log.end();
        done({ code, signal });
      });
    });
  }

  static start(settings: ChaosAppSettings, env: NodeJS.ProcessEnv = {}): AppProcess {
    return new AppProcess(settings, env);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Resolves with the first event `match` accepts, or rejects after `timeoutMs` or on exit. */
  async until(match: (event: AppEvent) => boolean, timeoutMs = 60_000): Promise<AppEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found !== undefined) return found;
      if (!this.running) throw new Error(`${this.settings.name} exited before the event`);
      if (Date.now() > deadline)
        throw new Error(`${this.settings.name}: no such event in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The events of one kind. */
  eventsOf(kind: string): AppEvent[] {
    return this.events.filter((e) => e.event === kind);
  }

  /** SIGTERM (a graceful stop), then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 30_000): Promise<AppExit> {
    this.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
