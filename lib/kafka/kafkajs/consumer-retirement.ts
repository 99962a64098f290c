import type { Consumer as KafkajsConsumerApi, ConsumerGroupJoinEvent } from 'kafkajs';
import type { Logger } from '../../logger/logger';

/**
 * What the `eachBatch` of a consumer whose close has begun throws when a kafkajs runner still
 * calls it. `retriable: false` makes kafkajs's retrier give up at once and its crash handler
 * not restart: the runner that called is gone for good.
 */
export class ConsumerRetiredError extends Error {
  override readonly name = 'ConsumerRetiredError';
  /** Read by kafkajs's retrier and by its restart decision (`getOriginalCause(e).retriable`). */
  readonly retriable = false;
  constructor(readonly groupId: string) {
    super(
      `the consumer of group ${groupId} was closed, yet kafkajs still runs it: it stops for good`,
    );
  }
}

/**
 * Makes sure a kafkajs 2.2.4 consumer whose close has begun never takes part in its group
 * again, even though its `disconnect()` cannot promise that.
 *
 * kafkajs's `disconnect()` stops only the runner that is running at that moment, and only
 * once: `Runner.stop()` returns at once while a runner is still starting (its `connect()` and
 * `joinAndSync()` under way: `running` is still false), and a crash handler that is running
 * schedules its restart (a new `ConsumerGroup` and `Runner`, a new member) after the stop
 * has cleared the old restart timer. Closing the cluster fails the pending JoinGroup with
 * `KafkaJSConnectionClosedError`, which is retriable: the closed consumer restarts 300 ms
 * later, joins as a new member, is assigned partitions and keeps them, fetching and
 * heartbeating, while nobody polls it. Its partitions then stall for good, and the liveness
 * watchdog, which watches the consumer that replaced it, cannot see them.
 *
 * The guard, through kafkajs's public API: {@link refusal}, which `eachBatch` throws when a
 * runner that believes it is running calls a retired consumer (one whose join finished after
 * the stop, or that a crash restarted after the close). The runner crashes for good
 * (non-retriable: kafkajs does not restart it); when it is the consumer's current runner,
 * kafkajs's crash handler stops it and leaves the group, else the group drops the member when
 * its session expires. (Guarding kafkajs's `retry.restartOnFailure` as well would stop the
 * restart sooner, but giving kafkajs a consumer `retry` cost the broker benchmark about 15 %
 * of the runners' throughput, for a reason not found; the refusal alone bounds the delay.)
 *
 * A join of a retired consumer is logged as a warning ({@link watch}).
 *
 * @example
 * const retirement = new ConsumerRetirement();
 * // at close():
 * retirement.retire();
 */
export class ConsumerRetirement {
  private isRetired = false;

  /** True once the adapter's close has begun. */
  get retired(): boolean {
    return this.isRetired;
  }

  /** The adapter's close has begun: kafkajs must not run this consumer again. */
  retire(): void {
    this.isRetired = true;
  }

  /** The error a retired consumer's `eachBatch` throws at a runner that still runs it. */
  refusal(groupId: string): ConsumerRetiredError {
    return new ConsumerRetiredError(groupId);
  }

  /**
   * Warns when the kafkajs consumer joins its group after retirement (kafkajs restarted it, or
   * a join under way at the close finished). The listener stays for the consumer's lifetime.
   */
  watch(consumer: KafkajsConsumerApi, groupId: string, logger: Logger): void {
    consumer.on(consumer.events.GROUP_JOIN, (event: ConsumerGroupJoinEvent) => {
      if (!this.isRetired) return;
      logger.warn(
        'a closed kafkajs consumer joined its group again; it stops at its first batch, ' +
          'and the group drops it',
        {
          groupId,
          memberId: event.payload.memberId,
          memberAssignment: event.payload.memberAssignment,
        },
      );
    });
  }
}
