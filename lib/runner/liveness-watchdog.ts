import type { PartitionLag, ProducerProgress } from '../kafka/client';
import type { TopicPartition } from '../record/stream-record';
import { offsetsBetween } from '../kafka/offset';

/** Why the watchdog holds the consumer for stuck. A tagged union. */
export type Stall =
  | {
      /** A poll (with the commit before it) has not returned. */
      readonly _tag: 'PollHung';
      readonly forMs: number;
      readonly partitions: readonly TopicPartition[];
    }
  | {
      /** Polls return, but none delivered a record while these partitions have records to read. */
      readonly _tag: 'NoRecords';
      readonly forMs: number;
      readonly partitions: readonly PartitionLag[];
    }
  | {
      /** Sends are outstanding, none settled, and the broker answers otherwise. */
      readonly _tag: 'SendsHung';
      readonly forMs: number;
      readonly outstanding: number;
    };

/** What the watchdog asks of the runtime at a check. */
export interface LivenessProbe {
  /** Assigned partitions that should deliver: not paused by the runner's backpressure. */
  deliverable(): readonly TopicPartition[];
  /** The consumer's {@link Consumer.lag}; a failure or no answer in time means "not known". */
  lag(partitions: readonly TopicPartition[]): Promise<readonly PartitionLag[]>;
  /** The producer's {@link Producer.progress}. */
  production(): ProducerProgress;
  /** Whether the broker answers (the consumer's lag of what it owns, in time). */
  reachable(): Promise<boolean>;
}

/** A partition's records the consumer has not delivered yet (0 when its position is at the end). */
export const behindBy = (lag: PartitionLag): bigint => offsetsBetween(lag.position, lag.endOffset);

/**
 * Tells a consumer that stopped delivering from one that has nothing to deliver.
 *
 * The runtime reports each poll's start and end and each rebalance-listener call; {@link check}
 * then finds a stall when, for longer than `timeoutMs`,
 * - a poll has not returned, beyond the `pollTimeoutMs` it may wait (a listener call under
 *   way gives it `listenerGraceMs` more: a revocation drains inside the poll), or
 * - polls have returned without a record while a deliverable partition is behind its end
 *   offset (asked of the consumer's `lag()`, which does not go through fetching), or
 * - sends are outstanding and none has been acknowledged or failed, while the broker answers.
 *
 * A stream with nothing to read is quiet, not stuck: without lag there is no stall; nor is a
 * broker that cannot be asked (an outage, a cut network): the client's own retries go on.
 *
 * @example
 * const watchdog = new LivenessWatchdog({ timeoutMs: 60_000, pollTimeoutMs: 1000, listenerGraceMs: 30_000 }, Date.now);
 * watchdog.pollStarted(); ...; watchdog.pollEnded(records.length);
 * const stall = await watchdog.check(probe); // undefined, or why the consumer is stuck
 */
export class LivenessWatchdog {
  /** When the poll under way started (or a listener call inside it began or ended). */
  private pollSince: number | undefined;
  /** When the current run of polls without records began. */
  private quietSince: number | undefined;
  private listenersRunning = 0;
  /** The producer's settled count at the last check, and since when it has not moved. */
  private settledSeen = -1;
  private settledSince: number;

  constructor(
    private readonly bounds: {
      readonly timeoutMs: number;
      readonly pollTimeoutMs: number;
      readonly listenerGraceMs: number;
    },
    private readonly now: () => number,
  ) {
    this.settledSince = now();
  }

  pollStarted(): void {
    const now = this.now();
    this.pollSince = now;
    this.quietSince ??= now;
  }

  pollEnded(records: number): void {
    this.pollSince = undefined;
    if (records > 0) this.quietSince = undefined;
  }

  listenerStarted(): void {
    this.listenersRunning += 1;
    this.rebalanced();
  }

  listenerEnded(): void {
    this.listenersRunning -= 1;
    this.rebalanced();
  }

  /** Work inside the poll moved on (a listener's restore): its clocks start again. */
  progressed(): void {
    this.rebalanced();
  }

  /** A fresh consumer: its clocks start now. */
  reset(): void {
    this.pollSince = undefined;
    this.quietSince = undefined;
    this.listenersRunning = 0;
    this.settledSeen = -1;
    this.settledSince = this.now();
  }

  /** The stall, if the consumer is stuck now. */
  async check(probe: LivenessProbe): Promise<Stall | undefined> {
    const now = this.now();
    const { timeoutMs, pollTimeoutMs, listenerGraceMs } = this.bounds;
    if (this.pollSince !== undefined) {
      const grace = this.listenersRunning > 0 ? listenerGraceMs : 0;
      const forMs = now - this.pollSince;
      if (forMs > timeoutMs + pollTimeoutMs + grace) {
        return { _tag: 'PollHung', forMs, partitions: probe.deliverable() };
      }
    }
    const sends = await this.checkSends(now, probe);
    if (sends !== undefined) return sends;
    if (this.quietSince === undefined || this.listenersRunning > 0) return undefined;
    const forMs = now - this.quietSince;
    if (forMs <= timeoutMs) return undefined;
    const deliverable = probe.deliverable();
    if (deliverable.length === 0) return undefined;
    let lags: readonly PartitionLag[];
    try {
      lags = await probe.lag(deliverable);
    } catch {
      return undefined; // the broker cannot be asked: an outage, not a stuck consumer
    }
    const behind = lags.filter((l) => behindBy(l) > 0n);
    return behind.length === 0 ? undefined : { _tag: 'NoRecords', forMs, partitions: behind };
  }

  private async checkSends(now: number, probe: LivenessProbe): Promise<Stall | undefined> {
    const { sent, settled } = probe.production();
    if (sent === settled || settled !== this.settledSeen) {
      this.settledSeen = settled;
      this.settledSince = now;
      return undefined;
    }
    const forMs = now - this.settledSince;
    if (forMs <= this.bounds.timeoutMs || !(await probe.reachable())) return undefined;
    return { _tag: 'SendsHung', forMs, outstanding: sent - settled };
  }

  /** A rebalance is progress: the poll's and the quiet run's clocks restart. */
  private rebalanced(): void {
    const now = this.now();
    if (this.pollSince !== undefined) this.pollSince = now;
    if (this.quietSince !== undefined) this.quietSince = now;
  }
}
