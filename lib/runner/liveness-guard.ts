import { exhaustMap, firstValueFrom, from, interval, type Subscription, timeout } from 'rxjs';
import type { Consumer, Producer } from '../kafka/client';
import type { Logger } from '../logger/logger';
import type { TopicPartition } from '../record/stream-record';
import { ConsumerStalledError } from './consumer-stalled-error';
import { describeStall } from './describe-stall';
import { LIVENESS_SCHEDULER } from './liveness-scheduler';
import { LivenessWatchdog, type Stall } from './liveness-watchdog';
import { messageOf } from '../errors/message-of';

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
 * The runtime's liveness watch: a {@link LivenessWatchdog} checked every quarter of
 * `timeoutMs`, and what follows a stall. The poll under way is abandoned (it resolves empty,
 * whatever the consumer does), `on.stalled` is told (the runtime abandons the records in
 * flight), and the stall is owed a replacement, which the runtime makes before its next poll
 * and reports with {@link replaced}. A stall that follows `maxRecreations` replacements with
 * no healthy run in between is given up on: `on.giveUp` gets a {@link ConsumerStalledError}.
 *
 * @example
 * const guard = new LivenessGuard(settings, { stalled: abandonAll, giveUp: (e) => runtime.fail(e) });
 * guard.start({ assigned, deliverable }, () => ({ consumer, producer }));
 * const records = await guard.watchPoll(() => consumer.poll(options));
 */
export class LivenessGuard {
  private readonly watchdog: LivenessWatchdog;
  private watch: Subscription | undefined;
  private owed: Stall | undefined;
  private stallsInARow = 0;
  /** Since the last replacement: whether a poll delivered, and the producer's settled count then. */
  private delivered = false;
  private settledAtReplacement = 0;
  private clients: (() => { readonly consumer: Consumer; readonly producer: Producer }) | undefined;
  private recreationCount = 0;
  private producerRecreationCount = 0;
  private abandonPoll!: () => void;
  private pollAbandoned!: Promise<never[]>;

  constructor(
    private readonly settings: LivenessGuardSettings,
    private readonly on: {
      readonly stalled: (stall: Stall) => void;
      readonly giveUp: (error: ConsumerStalledError) => void;
    },
  ) {
    this.watchdog = new LivenessWatchdog(settings, () => LIVENESS_SCHEDULER.now());
    this.armAbandon();
  }

  /** The stall a replacement is owed for, if any. */
  get stall(): Stall | undefined {
    return this.owed;
  }

  /** Consumers, and producers, replaced after a stall, this run. */
  get recreations(): { readonly consumer: number; readonly producer: number } {
    return { consumer: this.recreationCount, producer: this.producerRecreationCount };
  }

  /**
   * Checks the run's current clients (`clients()`), on the partitions `deliverable()` names
   * (assigned, not paused) of those `assigned()` names.
   */
  start(
    partitions: {
      readonly assigned: () => readonly TopicPartition[];
      readonly deliverable: () => readonly TopicPartition[];
    },
    clients: () => { readonly consumer: Consumer; readonly producer: Producer },
  ): void {
    this.clients = clients;
    const scheduler = LIVENESS_SCHEDULER;
    const tick = Math.max(10, Math.floor(this.settings.timeoutMs / 4));
    // Bounded: a lag question that hangs tells nothing either.
    const lag = (tps: readonly TopicPartition[]) =>
      firstValueFrom(from(clients().consumer.lag(tps)).pipe(timeout({ first: tick, scheduler })));
    const probe = {
      deliverable: partitions.deliverable,
      lag,
      production: () => clients().producer.progress(),
      reachable: async () => {
        const owned = partitions.assigned();
        return (
          owned.length > 0 &&
          (await lag(owned).then(
            () => true,
            () => false,
          ))
        );
      },
    };
    this.watch = interval(tick, scheduler)
      .pipe(
        exhaustMap(() =>
          // A check that fails tells nothing; it must not end the watch (nor reach the process).
          from(
            this.owed === undefined
              ? this.watchdog.check(probe).catch(() => undefined)
              : [undefined],
          ),
        ),
      )
      .subscribe((stall) => {
        if (this.watch === undefined) return;
        try {
          if (stall !== undefined) this.stalled(stall);
          else if (this.healthy()) this.stallsInARow = 0;
        } catch (error) {
          this.settings.logger.error('the liveness watchdog failed', {
            error: messageOf(error),
          });
        }
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
      if (records.length > 0) this.delivered = true;
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

  /** Work inside a listener call moved on (a restore applied a batch): it is not stuck. */
  progressed(): void {
    this.watchdog.progressed();
  }

  /** The owed replacement was made: fresh clients, fresh clocks. */
  replaced(): void {
    if (this.owed?._tag === 'SendsHung') this.producerRecreationCount += 1;
    this.owed = undefined;
    this.recreationCount += 1;
    this.delivered = false;
    this.settledAtReplacement = this.clients?.().producer.progress().settled ?? 0;
    this.watchdog.reset();
    this.armAbandon();
  }

  /** Since the last replacement, records came in and sends went out (or none waited). */
  private healthy(): boolean {
    if (this.stallsInARow === 0 || !this.delivered) return false;
    const { sent, settled } = this.clients!().producer.progress();
    return sent === settled || settled > this.settledAtReplacement;
  }

  private stalled(stall: Stall): void {
    this.stallsInARow += 1;
    const { maxRecreations, logger } = this.settings;
    if (this.stallsInARow > maxRecreations) {
      this.on.giveUp(new ConsumerStalledError(stall, this.stallsInARow - 1));
      return;
    }
    const [client, replacing] =
      stall._tag === 'SendsHung'
        ? ['the producer', 'the producer and the consumer']
        : ['the consumer', 'it'];
    logger.warn(
      `${client} stalled: ${describeStall(stall)}; replacing ${replacing} ` +
        `(${this.stallsInARow} of at most ${maxRecreations} in a row)`,
      { stall: stall._tag, forMs: stall.forMs },
    );
    this.owed = stall;
    this.abandonPoll();
    this.on.stalled(stall);
  }

  private armAbandon(): void {
    this.pollAbandoned = new Promise((resolve) => (this.abandonPoll = () => resolve([])));
  }
}
