import type { SchedulerLike } from 'rxjs';
import { asError } from '../errors/as-error';
import type { Consumer, KafkaClient, RebalanceListener } from '../kafka/client';
import type { Logger } from '../logger/logger';
import { within } from './within';

/**
 * The run's consumer, which the liveness watchdog may replace: the slot opens a consumer
 * (connect, subscribe) and, on `replace()`, retires it for a fresh one of the same client.
 * Each consumer gets the listener through a guard, so a retired consumer (whose close runs
 * `onRevoked`, or whose stuck poll returns late) can no longer reach the runtime.
 *
 * @example
 * const slot = new ConsumerSlot(client, ['orders'], listener, { logger, scheduler, closeTimeoutMs: 10_000 });
 * await slot.open();
 * await slot.consumer.poll({ maxRecords: 500, timeoutMs: 1000 });
 */
export class ConsumerSlot {
  private current: Consumer;

  constructor(
    private readonly client: KafkaClient,
    private readonly topics: readonly string[],
    private readonly listener: RebalanceListener,
    private readonly settings: {
      readonly logger: Logger;
      readonly scheduler: SchedulerLike;
      /** Longest a retired consumer may take to close before the slot moves on without it. */
      readonly closeTimeoutMs: number;
    },
  ) {
    this.current = client.createConsumer();
  }

  get consumer(): Consumer {
    return this.current;
  }

  /** Connects and subscribes the current consumer. */
  async open(): Promise<void> {
    const consumer = this.current;
    const guarded = (call: (l: RebalanceListener) => void | Promise<void>) =>
      consumer === this.current ? call(this.listener) : undefined;
    await consumer.connect();
    await consumer.subscribe(this.topics, {
      onAssigned: (partitions) => guarded((l) => l.onAssigned(partitions)),
      onRevoked: (partitions) => guarded((l) => l.onRevoked(partitions)),
    });
  }

  /**
   * Closes the current consumer (waiting at most `closeTimeoutMs`: a stuck one may never
   * finish) and opens a new one in its place. A failed open leaves the new consumer in the
   * slot, closed; calling `replace()` again tries with another.
   */
  async replace(): Promise<void> {
    const old = this.current;
    this.current = this.client.createConsumer();
    await this.retire(old);
    try {
      await this.open();
    } catch (error) {
      await this.current.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Closes the current consumer, waiting at most `closeTimeoutMs`; rejects when its close
   * failed in that time.
   */
  async close(): Promise<void> {
    const closing = this.current.close();
    const closed = await within(closing, this.settings.closeTimeoutMs, this.settings.scheduler);
    if (!closed) {
      closing.catch(() => undefined);
      this.warnNotClosed();
    }
  }

  /** Closes a replaced consumer: its failure is logged, a hang outwaited. */
  private async retire(consumer: Consumer): Promise<void> {
    const closing = consumer.close();
    const closed = await within(
      closing,
      this.settings.closeTimeoutMs,
      this.settings.scheduler,
    ).catch((error: unknown) => {
      this.settings.logger.warn('a replaced consumer failed to close', {
        error: asError(error).message,
      });
      return true;
    });
    if (!closed) {
      closing.catch(() => undefined);
      this.warnNotClosed();
    }
  }

  private warnNotClosed(): void {
    this.settings.logger.warn(
      'the consumer did not close in time; the group drops it when its session expires',
      { closeTimeoutMs: this.settings.closeTimeoutMs },
    );
  }
}
