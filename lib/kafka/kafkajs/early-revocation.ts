import { topicPartitionKey, type TopicPartition } from '../../record/stream-record';
import { Wakeup } from '../wakeup';

/**
 * Why {@link EarlyRevocation.wait} returned: the listener's `onRevoked` returned
 * (`reported`), the time ran out (`timedOut`), or there is no point waiting any more, the
 * consumer stopping or the group having moved on (`gaveUp`).
 */
export type RevocationOutcome = 'reported' | 'timedOut' | 'gaveUp';

/** How {@link EarlyRevocation.wait} waits. */
export interface RevocationWaitOptions {
  /** Longest wait, in ms; 0 does not wait. */
  readonly timeoutMs: number;
  /** How often `tick` runs while waiting, in ms. */
  readonly tickEveryMs: number;
  /** Checked on every wake-up; true ends the wait with `gaveUp`. */
  readonly giveUp: () => boolean;
  /** Runs every `tickEveryMs` (a heartbeat keeps the session alive); a throw ends the wait. */
  readonly tick: () => Promise<void>;
}

/**
 * A revocation the kafkajs adapter begins itself, before kafkajs rejoins: a heartbeat inside
 * `eachBatch` answered `REBALANCE_IN_PROGRESS`, so every owned partition is reported revoked
 * at the next `poll()` while the member is still in its generation (its commits still land),
 * and `eachBatch` holds kafkajs's rejoin until `onRevoked` has returned.
 *
 * @example
 * const revocation = new EarlyRevocation(owned, heartbeatError);
 * pending.push({ _tag: 'Revoked', partitions: owned, reported: () => revocation.reported() });
 * if ((await revocation.wait({ timeoutMs, tickEveryMs: 500, giveUp, tick })) !== 'gaveUp') {
 *   throw revocation.cause; // kafkajs rejoins now
 * }
 */
export class EarlyRevocation {
  /** `topic:partition` keys of the revoked partitions. */
  readonly keys: ReadonlySet<string>;
  private done = false;
  private readonly changed = new Wakeup();

  /**
   * @param partitions every partition the member owned
   * @param cause the heartbeat's error, thrown on to kafkajs once the wait is over
   */
  constructor(
    readonly partitions: readonly TopicPartition[],
    readonly cause: unknown,
  ) {
    this.keys = new Set(partitions.map(topicPartitionKey));
  }

  /** True once the listener's `onRevoked` has returned. */
  get isReported(): boolean {
    return this.done;
  }

  /** The listener's `onRevoked` has returned (or thrown): waiters may go on. */
  reported(): void {
    this.done = true;
    this.changed.notify();
  }

  /** Wakes waiters so they check `giveUp` now (the consumer is closing). */
  interrupt(): void {
    this.changed.notify();
  }

  /** Waits until reported, `giveUp()`, or `timeoutMs`, running `tick` meanwhile. */
  async wait({
    timeoutMs,
    tickEveryMs,
    giveUp,
    tick,
  }: RevocationWaitOptions): Promise<RevocationOutcome> {
    const deadline = Date.now() + timeoutMs;
    let nextTick = Date.now() + tickEveryMs;
    for (;;) {
      if (this.done) return 'reported';
      if (giveUp()) return 'gaveUp';
      const now = Date.now();
      if (now >= deadline) return 'timedOut';
      if (now >= nextTick) {
        await tick();
        nextTick = Date.now() + tickEveryMs;
      } else {
        await this.changed.wait(Math.min(deadline, nextTick) - now);
      }
    }
  }
}
