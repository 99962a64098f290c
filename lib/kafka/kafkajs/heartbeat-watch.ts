import type { EachBatchPayload } from 'kafkajs';
import type { Logger } from '../../logger/logger';
import { DueHeartbeat } from './due-heartbeat';
import type { EarlyRevocation } from './early-revocation';
import { messageOf } from '../../errors/message-of';
import { isRebalanceInProgress } from './is-rebalance-error';
import type { RebalanceTranslator } from './rebalance-translator';

/** What a {@link HeartbeatWatch} needs besides the rebalance translator. */
export interface HeartbeatWatchSettings {
  readonly groupId: string;
  /** How often a waiting eachBatch heartbeats, in ms (kafkajs throttles to heartbeatInterval). */
  readonly heartbeatEveryMs: number;
  /** Longest eachBatch holds kafkajs's rejoin while `onRevoked` runs, in ms. */
  readonly revokeTimeoutMs: number;
  /** kafkajs's `heartbeatInterval`, in ms; absent, only eachBatch heartbeats. */
  readonly heartbeatIntervalMs?: number | undefined;
  /** True once the consumer closes: nothing is begun or held any more. */
  readonly isClosing: () => boolean;
  readonly logger: Logger;
}

/**
 * The adapter's own heartbeats. kafkajs heartbeats only where its fetch loop asks for it, so
 * an `eachBatch` the adapter holds (records waiting for `poll`, a revocation waiting for
 * `onRevoked`) must heartbeat itself, or the group drops the member. A heartbeat is also where
 * a rebalance shows first (`REBALANCE_IN_PROGRESS`): seen here, inside `eachBatch` or from a
 * timer when one falls due while kafkajs waits on a fetch ({@link DueHeartbeat}), it begins
 * the translator's early revocation, and `eachBatch` holds kafkajs's rejoin until `onRevoked`
 * has returned.
 *
 * @example
 * const watch = new HeartbeatWatch(translator, { groupId: 'g', heartbeatEveryMs: 500, ... });
 * consumer.on(consumer.events.HEARTBEAT, () => watch.beat());
 * // in eachBatch:
 * await watch.whileBatchRuns(async () => { watch.capture(payload); await watch.heartbeat(payload); });
 */
export class HeartbeatWatch {
  /** eachBatch calls under way (kafkajs runs one at a time per worker). */
  private batchesRunning = 0;
  private readonly dueHeartbeat: DueHeartbeat | undefined;

  constructor(
    private readonly translator: RebalanceTranslator,
    private readonly settings: HeartbeatWatchSettings,
  ) {
    const interval = settings.heartbeatIntervalMs;
    this.dueHeartbeat =
      interval === undefined
        ? undefined
        : new DueHeartbeat(interval, (heartbeat) => this.heartbeatWhileFetching(heartbeat));
  }

  /** kafkajs heartbeated successfully (its `HEARTBEAT` event). */
  beat(): void {
    this.dueHeartbeat?.beat();
  }

  /** Keeps the heartbeat function of an `eachBatch` payload for heartbeats between fetches. */
  capture({ heartbeat }: EachBatchPayload): void {
    this.dueHeartbeat?.capture(heartbeat);
  }

  /** Counts an eachBatch as running while `run` lasts: no heartbeat between fetches then. */
  async whileBatchRuns(run: () => Promise<void>): Promise<void> {
    this.batchesRunning += 1;
    try {
      await run();
    } finally {
      this.batchesRunning -= 1;
    }
  }

  /** Stops heartbeating between fetches (the kafkajs runner is gone). */
  stop(): void {
    this.dueHeartbeat?.stop();
  }

  /**
   * Heartbeats (kafkajs sends one only when heartbeatInterval has passed). One answered
   * `REBALANCE_IN_PROGRESS` has every owned partition revoked, through the next poll, before
   * it is thrown on for kafkajs to rejoin; other failures are thrown on at once.
   */
  async heartbeat(payload: EachBatchPayload): Promise<void> {
    try {
      await payload.heartbeat();
    } catch (e) {
      if (!isRebalanceInProgress(e) || this.settings.isClosing() || !payload.isRunning()) throw e;
      await this.awaitRevocation(
        payload,
        this.translator.revocation ?? this.translator.beginRevocation(e, 'eachBatch'),
      );
    }
  }

  /**
   * Holds kafkajs's rejoin until `onRevoked` has returned (bounded by `revokeTimeoutMs`),
   * heartbeating meanwhile, then throws the heartbeat's error so kafkajs rejoins. Returns
   * without throwing when the consumer stops or the group moved on.
   */
  async awaitRevocation(payload: EachBatchPayload, revocation: EarlyRevocation): Promise<void> {
    const { revokeTimeoutMs: timeoutMs, heartbeatEveryMs, isClosing } = this.settings;
    const outcome = await revocation.wait({
      timeoutMs,
      tickEveryMs: heartbeatEveryMs,
      giveUp: () =>
        isClosing() || !payload.isRunning() || revocation !== this.translator.revocation,
      tick: () => this.keepAlive(payload),
    });
    if (outcome === 'gaveUp') return;
    if (outcome === 'timedOut') {
      this.settings.logger.warn('onRevoked did not return in time; rejoining the group anyway', {
        groupId: this.settings.groupId,
        revokeTimeoutMs: timeoutMs,
      });
    }
    throw revocation.cause;
  }

  /** While the group prepares a rebalance it still drops a member that stops heartbeating. */
  private async keepAlive({ heartbeat }: EachBatchPayload): Promise<void> {
    try {
      await heartbeat();
    } catch (e) {
      if (!isRebalanceInProgress(e)) throw e;
    }
  }

  /**
   * A heartbeat fell due while no eachBatch runs: kafkajs is waiting on a fetch. Sent now, a
   * rebalance shows up here, and onRevoked can run while the fetch lasts; kafkajs's own
   * heartbeat after it would rejoin at once if the fetch brings nothing, while a batch it
   * brings waits in eachBatch for the revocation.
   */
  private heartbeatWhileFetching(heartbeat: () => Promise<void>): void {
    const { isClosing, logger, groupId } = this.settings;
    if (isClosing() || this.batchesRunning > 0 || this.translator.revocation !== undefined) return;
    heartbeat().catch((e: unknown) => {
      if (isRebalanceInProgress(e) && !isClosing() && this.translator.revocation === undefined) {
        this.translator.beginRevocation(e, 'between fetches');
      } else {
        logger.debug('heartbeat between fetches failed', { groupId, error: messageOf(e) });
      }
    });
  }
}
