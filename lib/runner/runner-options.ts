import { checkTelemetryOptions, type TelemetryOptions } from '../otel/telemetry-options';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { Backoff } from '../backoff/backoff';
import { fixedBackoff } from '../backoff/fixed-backoff';
import type { ErrorHandler } from '../errorhandler/error-handler';
import { handlerByPhase } from '../errorhandler/phase-handlers';
import { ConfigError } from '../errors/config-error';
import { describeValue } from '../errors/kind-of';
import type { KnownKeys } from '../errors/known-keys';
import { requireInteger } from '../errors/require-integer';
import type { ErrorPhase } from '../errors/phase';
import { noopLogger, type Logger } from '../logger/logger';

/**
 * Options of every runner (the seed's `SingleThreadedOption`s).
 *
 * @example
 * singleThreadedRunner({ logger: consoleLogger(), errorHandler: logAndContinue(consoleLogger()) });
 */
export interface RunnerOptions {
  /** Where the runner logs (default: nothing). */
  readonly logger?: Logger | undefined;
  /** Decides on every failed record a phase handler does not cover (default `silentFail()`). */
  readonly errorHandler?: ErrorHandler | undefined;
  /** Decides on deserialization and serialization failures (default: `errorHandler`). */
  readonly serdeErrorHandler?: ErrorHandler | undefined;
  /** Decides on failures of user callbacks (default: `errorHandler`). */
  readonly processingErrorHandler?: ErrorHandler | undefined;
  /** Decides on outputs the broker refused (default: `errorHandler`). */
  readonly productionErrorHandler?: ErrorHandler | undefined;
  /** Wait between failed polls (default `fixedBackoff(1000)`). */
  readonly pollErrorBackoff?: Backoff | undefined;
  /** Commit finished offsets at least this often, in ms (default 5000). */
  readonly commitIntervalMs?: number | undefined;
  /** At most this many records per poll (default 500). */
  readonly maxPollRecords?: number | undefined;
  /** How long one poll waits for records when none are ready, in ms (default 1000). */
  readonly pollTimeoutMs?: number | undefined;
  /**
   * The liveness bound, in ms of wall-clock time (default 60000): a consumer whose poll has not
   * returned this long after its own `pollTimeoutMs`, or whose polls brought no record for this
   * long while partitions have records to read, is stuck: the runner logs it and replaces the
   * consumer (docs/reliability.md). Keep it above the client's longest rebalance (kafkajs:
   * `rebalanceTimeout`, 60 s by default).
   */
  readonly livenessTimeoutMs?: number | undefined;
  /**
   * Replacements of a stuck consumer in a row (none delivering a record) before the run
   * rejects with a `ConsumerStalledError` (default 3).
   */
  readonly maxConsumerRecreations?: number | undefined;
  /** Where retry and backoff delays run (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike | undefined;
  /** The clock for DLQ timestamps (default `Date.now`). */
  readonly now?: (() => number) | undefined;
  /**
   * What a shutdown waits for (bounded by the drain timeouts either way): `'all'` (default,
   * the seed's drain) lets every record already polled finish; `'started'` lets only the
   * records already started finish and drops the queued ones, which stay uncommitted and are
   * read again by the next owner: a stop within seconds, e.g. inside a Kubernetes grace period.
   */
  readonly shutdownDrain?: 'all' | 'started' | undefined;
  /**
   * Where traces and metrics go (OpenTelemetry; docs/observability.md). Default: the global
   * providers, no-ops until the application registers an SDK.
   */
  readonly telemetry?: TelemetryOptions | undefined;
}

/** The names of {@link RunnerOptions}, for refusing unknown keys. */
export const RUNNER_OPTION_KEYS: KnownKeys<RunnerOptions> = {
  logger: true,
  errorHandler: true,
  serdeErrorHandler: true,
  processingErrorHandler: true,
  productionErrorHandler: true,
  pollErrorBackoff: true,
  commitIntervalMs: true,
  maxPollRecords: true,
  pollTimeoutMs: true,
  livenessTimeoutMs: true,
  maxConsumerRecreations: true,
  scheduler: true,
  now: true,
  shutdownDrain: true,
  telemetry: true,
};

/** Each property required and defined: what options are once their defaults are filled in. */
type Given<T> = { readonly [P in keyof T]-?: Exclude<T[P], undefined> };

/** Options with every default filled in. */
export type ResolvedRunnerOptions = Given<
  Omit<
    RunnerOptions,
    'errorHandler' | 'serdeErrorHandler' | 'processingErrorHandler' | 'productionErrorHandler'
  >
> & {
  /** The handler of each phase's failures, with the fallbacks `handlerByPhase` applies. */
  readonly handlerFor: (phase: ErrorPhase) => ErrorHandler;
};

const requireFunction = (option: string, value: unknown): void => {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigError(option, `must be a function, got ${describeValue(value)}`);
  }
};

/** Checks the common options and fills in the defaults. */
export const resolveRunnerOptions = (options: RunnerOptions): ResolvedRunnerOptions => {
  const handlers = [
    'errorHandler',
    'serdeErrorHandler',
    'processingErrorHandler',
    'productionErrorHandler',
    'pollErrorBackoff',
    'now',
  ] as const;
  for (const name of handlers) requireFunction(name, options[name]);
  const logger = options.logger ?? noopLogger;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger[level] !== 'function')
      throw new ConfigError('logger', `has no ${level}() method`);
  }
  const resolved = {
    logger,
    pollErrorBackoff: options.pollErrorBackoff ?? fixedBackoff(1000),
    commitIntervalMs: options.commitIntervalMs ?? 5000,
    maxPollRecords: options.maxPollRecords ?? 500,
    pollTimeoutMs: options.pollTimeoutMs ?? 1000,
    livenessTimeoutMs: options.livenessTimeoutMs ?? 60_000,
    maxConsumerRecreations: options.maxConsumerRecreations ?? 3,
    scheduler: options.scheduler ?? asyncScheduler,
    now: options.now ?? Date.now,
    shutdownDrain: options.shutdownDrain ?? 'all',
    telemetry: options.telemetry ?? {},
  };
  checkTelemetryOptions(resolved.telemetry);
  if (resolved.shutdownDrain !== 'all' && resolved.shutdownDrain !== 'started') {
    throw new ConfigError(
      'shutdownDrain',
      `must be 'all' or 'started', got ${describeValue(resolved.shutdownDrain)}`,
    );
  }
  requireInteger('commitIntervalMs', resolved.commitIntervalMs, 0);
  requireInteger('maxPollRecords', resolved.maxPollRecords, 1);
  requireInteger('pollTimeoutMs', resolved.pollTimeoutMs, 0);
  requireInteger('maxConsumerRecreations', resolved.maxConsumerRecreations, 0);
  requireInteger('livenessTimeoutMs', resolved.livenessTimeoutMs, 1);
  return {
    ...resolved,
    handlerFor: handlerByPhase(options),
  };
};
