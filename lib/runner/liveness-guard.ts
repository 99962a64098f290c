import {
  asyncScheduler,
  exhaustMap,
  firstValueFrom,
  from,
  interval,
  type Subscription,
  timeout,
} from 'rxjs';
import type { Consumer } from '../kafka/client';
import type { Logger } from '../logger/logger';
import type { TopicPartition } from '../record/stream-record';
import { ConsumerStalledError } from './consumer-stalled-error';
import { describeStall } from './describe-stall';
import { LivenessWatchdog, type Stall } from './liveness-watchdog';

/** What the guard needs to know of the run. */
export interface LivenessGuardSettings {
  readonly timeoutMs: number;
  readonly pollTimeoutMs: number;
  readonly maxRecreations: number;
  /** How much longer a poll may take while a rebalance listener runs in it (a drain). */
  readonly listenerGraceMs: number;
  readonly logger: Logger;
}

/**
 * Liveness is about a real client on the wall clock: its bounds never run on the runner's
 * `scheduler`, which specs may make virtual (a virtual clock would expire them at once).
 */
export const LIVENESS_SCHEDULER = asyncScheduler;

/**
 * The runtime's liveness watch: a {@link LivenessWatchdog} checked every quarter of
 * `timeoutMs`, and what follows a stall. The poll under way is abandoned (it resolves empty,
 * whatever the consumer does), and the stall is owed a replacement, which the runtime makes
 * before its next poll and reports with {@link replaced}. A stall that follows
 * `maxRecreations` replacements with no record delivered in between is given up on:
 * `giveUp` gets a {@link ConsumerStalledError}.
 *
 * @example
 * const guard = new LivenessGuard(settings, (error) => runtime.fail(error));
 * guard.start(() => deliverable(), () => slot.consumer);
 * const records = await guard.watchPoll(() => consumer.poll(options));
 */
export class LivenessGuard {
  private readonly watchdog: LivenessWatchdog;
  private watch: Subscription | undefined;
  private owed: Stall | undefined;
  private stallsInARow = 0;
  private recreationCount = 0;
  private abandonPoll!: () => void;
  private pollAbandoned!: Promise<never[]>;

  constructor(
    private readonly settings: LivenessGuardSettings,
    private readonly giveUp: (error: ConsumerStalledError) => void,
  ) {
    this.watchdog = new LivenessWatchdog(settings, () => LIVENESS_SCHEDULER.now());
    this.armAbandon();
  }

  /** The stall a replacement is owed for, if any. */
  get stall(): Stall | undefined {
    return this.owed;
  }

  /** Consumers replaced after a stall, this run. */
  get recreations(): number {
    return this.recreationCount;
  }

  /** Checks the consumer `current()` gives, on the partitions `deliverable()` names. */
  start(deliverable: () => readonly TopicPartition[], current: () => Consumer): void {
    const scheduler = LIVENESS_SCHEDULER;
    const tick = Math.max(10, Math.floor(this.settings.timeoutMs / 4));
    const probe = {
      deliverable,
      // Bounded: a lag question that hangs tells nothing either.
      lag: (partitions: readonly TopicPartition[]) =>
        firstValueFrom(from(current().lag(partitions)).pipe(timeout({ first: tick, scheduler }))),
    };
    this.watch = interval(tick, scheduler)
      .pipe(
        exhaustMap(() => from(this.owed === undefined ? this.watchdog.check(probe) : [undefined])),
      )
      .subscribe((stall) => {
        if (stall !== undefined && this.watch !== undefined) this.stalled(stall);
      });
  }

  /** Ends the watch; a poll under way is abandoned. */
  stop(): void {
    this.watch?.unsubscribe();
    this.watch = undefined;
    this.abandonPoll();
  }

  /** Runs one poll under watch; resolves empty if the poll is abandoned before it returns. */
  async watchPoll<T>(poll: () => Promise<readonly T[]>): Promise<readonly T[]> {
    this.watchdog.pollStarted();
    let records: readonly T[] = [];
    try {
      records = await Promise.race([poll(), this.pollAbandoned]);
      return records;
    } finally {
      this.watchdog.pollEnded(records.length);
      if (records.length > 0) this.stallsInARow = 0;
    }
  }

  /** Runs a rebalance listener call under watch: a rebalance is progress. */
  async listener(call: () => void | Promise<void>): Promise<void> {
    this.watchdog.listenerStarted();
    try {
      await call();
    } finally {
      this.watchdog.listenerEnded();
    }
  }

  /** The owed replacement was made: a fresh consumer, fresh clocks. */
  replaced(): void {
    this.owed = undefined;
    this.recreationCount += 1;
    this.watchdog.reset();
    this.armAbandon();
  }

  private stalled(stall: Stall): void {
    this.stallsInARow += 1;
    const { maxRecreations, logger } = this.settings;
    if (this.stallsInARow > maxRecreations) {
      this.giveUp(new ConsumerStalledError(stall, this.stallsInARow - 1));
      return;
    }
    logger.warn(
      `the consumer stalled: ${describeStall(stall)}; replacing it ` +
        `(${this.stallsInARow} of at most ${maxRecreations} in a row)`,
      { stall: stall._tag, forMs: stall.forMs, partitions: stall.partitions },
    );
    this.owed = stall;
    this.abandonPoll();
  }

  private armAbandon(): void {
    this.pollAbandoned = new Promise((resolve) => (this.abandonPoll = () => resolve([])));
  }
}
