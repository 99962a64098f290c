import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTopic, readAll, uniqueName } from '../../e2e/support/broker';
import { AppProcess, CHAOS_LOG_DIR } from './app-process';
import { audit, describeAudit, type Audit } from './audit';
import type { ChaosAppSettings } from './chaos-app-settings';
import { directBrokers } from './chaos-broker';
import { OutputTail } from './output-tail';
import { SequenceProducer, type Marking } from './sequence-producer';

export type RunnerName = ChaosAppSettings['runner'];

/** CHAOS_SESSION_TIMEOUT_MS sets every app's kafkajs sessionTimeout (to measure failover with it). */
const SESSION_TIMEOUT_MS =
  process.env['CHAOS_SESSION_TIMEOUT_MS'] === undefined
    ? undefined
    : Number(process.env['CHAOS_SESSION_TIMEOUT_MS']);
export const RUNNERS: readonly RunnerName[] = ['single', 'partitioned'];

/** How a lane is set up. */
export interface LaneOptions {
  readonly scenario: string;
  readonly partitions: number;
  readonly keys: number;
  /** Where the lane's apps connect (the proxy, for network cuts). */
  readonly appBrokers: readonly string[];
  readonly mode?: ChaosAppSettings['mode'];
  readonly marking?: Marking;
  readonly processMs?: number;
  readonly processJitterMs?: number;
  /** The partitioned runner's ordering and concurrency (the single-threaded one has none). */
  readonly ordering?: ChaosAppSettings['ordering'];
  readonly maxConcurrency?: number;
  /** The runners that get a lane (default: both, {@link RUNNERS}). */
  readonly runners?: readonly RunnerName[];
  readonly livenessTimeoutMs?: number;
  readonly shutdownTimeoutMs?: number;
  readonly dlq?: boolean;
}

/** One runner's share of a scenario: its topics, group, producer, output tail and app processes. */
export class Lane {
  readonly apps: AppProcess[] = [];
  private appCount = 0;

  private constructor(
    readonly runner: RunnerName,
    readonly options: LaneOptions,
    readonly input: string,
    readonly output: string,
    readonly dlq: string | undefined,
    readonly groupId: string,
    readonly producer: SequenceProducer,
    readonly tail: OutputTail,
  ) {}

  static async open(runner: RunnerName, options: LaneOptions): Promise<Lane> {
    const prefix = `chaos-${options.scenario}-${runner}`;
    const [input, output, dlq] = await Promise.all([
      createTopic(options.partitions, `${prefix}-in`),
      createTopic(options.partitions, `${prefix}-out`),
      options.dlq === true ? createTopic(1, `${prefix}-dlq`) : Promise.resolve(undefined),
    ]);
    const producer = await SequenceProducer.connect(directBrokers(), input, {
      keys: options.keys,
      marking: options.marking,
    });
    const tail = await OutputTail.start(directBrokers(), output);
    return new Lane(runner, options, input, output, dlq, uniqueName(`${prefix}-g`), producer, tail);
  }

  get label(): string {
    return `${this.options.scenario} (${this.runner === 'single' ? 'singleThreadedRunner' : 'partitionedRunner'})`;
  }

  /** Starts one more app process of the lane's group (`overrides` change its settings). */
  startApp(overrides: Partial<ChaosAppSettings> = {}, env: NodeJS.ProcessEnv = {}): AppProcess {
    this.appCount += 1;
    const o = this.options;
    const app = AppProcess.start(
      {
        name: `${o.scenario}-${this.runner}-${this.appCount}-${process.pid}`,
        brokers: o.appBrokers,
        groupId: this.groupId,
        input: this.input,
        output: this.output,
        ...(this.dlq === undefined ? {} : { dlq: this.dlq }),
        runner: this.runner,
        mode: o.mode ?? 'copy',
        processMs: o.processMs ?? 0,
        ...(o.processJitterMs === undefined ? {} : { processJitterMs: o.processJitterMs }),
        ...(o.ordering === undefined ? {} : { ordering: o.ordering }),
        ...(o.maxConcurrency === undefined ? {} : { maxConcurrency: o.maxConcurrency }),
        ...(o.livenessTimeoutMs === undefined ? {} : { livenessTimeoutMs: o.livenessTimeoutMs }),
        ...(o.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: o.shutdownTimeoutMs }),
        ...(SESSION_TIMEOUT_MS === undefined ? {} : { sessionTimeoutMs: SESSION_TIMEOUT_MS }),
        ...overrides,
      },
      env,
    );
    this.apps.push(app);
    return app;
  }

  /** Ids acknowledged so far that have come out. */
  delivered(expected: (id: string) => boolean = () => true): {
    readonly out: number;
    readonly of: number;
  } {
    const ids = this.producer.acked.filter((a) => expected(a.id));
    return { out: ids.filter((a) => this.tail.has(a.id)).length, of: ids.length };
  }

  /** Waits until every acknowledged input (that `expected` accepts) has come out. */
  async caughtUp(
    timeoutMs = 120_000,
    expected: (id: string) => boolean = () => true,
  ): Promise<boolean> {
    return this.tail.until(() => {
      const { out, of } = this.delivered(expected);
      return out === of;
    }, timeoutMs);
  }

  /** Consumer recreations the lane's apps reported (their last stats line each). */
  recreations(): number {
    let n = 0;
    for (const app of this.apps) {
      const last = [...app.eventsOf('stats'), ...app.eventsOf('stopped')].pop() as
        { stats?: { consumerRecreations?: number } } | undefined;
      n += last?.stats?.consumerRecreations ?? 0;
    }
    return n;
  }

  /**
   * How the lane's apps' records worked (their last stats line each): the most of one
   * partition working at once in one process, and the starts of a key already working.
   */
  work(): { readonly mostAtOnceInAPartition: number; readonly sameKeyOverlaps: number } {
    let most = 0;
    let overlaps = 0;
    for (const app of this.apps) {
      const last = [...app.eventsOf('stats'), ...app.eventsOf('stopped')].pop() as
        { work?: { mostAtOnceInAPartition?: number; sameKeyOverlaps?: number } } | undefined;
      most = Math.max(most, last?.work?.mostAtOnceInAPartition ?? 0);
      overlaps += last?.work?.sameKeyOverlaps ?? 0;
    }
    return { mostAtOnceInAPartition: most, sameKeyOverlaps: overlaps };
  }

  /** Reads both topics whole and compares them. */
  async audit(expected?: (id: string) => boolean): Promise<Audit> {
    const [input, output] = await Promise.all([readAll(this.input), readAll(this.output)]);
    return audit(input, output, this.producer.acked, expected);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.apps.map((a) => a.stop(15_000)));
    await Promise.allSettled([this.producer.disconnect(), this.tail.stop()]);
  }
}

/**
 * Call inside a `describe`: opens a scenario's lanes, one per runner (both run at once, or
 * those `runners` names), and closes them after each test, whatever happened.
 */
export const useLanes = (): ((options: LaneOptions) => Promise<Lane[]>) => {
  const opened: Lane[] = [];
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((l) => l.close()));
  });
  return async (options) => {
    const runners = options.runners ?? RUNNERS;
    for (const runner of runners) opened.push(await Lane.open(runner, options));
    return opened.slice(-runners.length);
  };
};

/** Prints a lane's figures and appends them to .cache/chaos/report.jsonl. */
export const report = (lane: Lane, result: Audit, extra: Record<string, unknown> = {}): void => {
  const line = describeAudit(lane.label, result, extra);
  process.stdout.write(`[chaos] ${line}\n`);
  mkdirSync(CHAOS_LOG_DIR, { recursive: true });
  appendFileSync(
    join(CHAOS_LOG_DIR, 'report.jsonl'),
    `${JSON.stringify({ at: new Date().toISOString(), scenario: lane.label, ...result, missing: result.missing.slice(0, 20), missingCount: result.missing.length, ...extra })}\n`,
  );
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
