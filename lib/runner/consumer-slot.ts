import { asError } from '../errors/as-error';
import type { Consumer, ConsumerOptions, KafkaClient, RebalanceListener } from '../kafka/client';
import type { Logger } from '../logger/logger';
import { boundedClose } from './bounded-close';

/**
 * The run's consumer, which the liveness watchdog may replace: the slot opens a consumer
 * (connect, subscribe) and, on `replace()`, retires it for a fresh one of the same client.
 * Each consumer gets the listener through a guard, so a retired consumer (whose close runs
 * `onRevoked`, or whose stuck poll returns late) can no longer reach the runtime.
 *
 * @example
 * const slot = new ConsumerSlot(client, ['orders'], listener, { logger, closeTimeoutMs: 10_000 });
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
      /** Longest a consumer may take to close (wall clock) before the slot moves on without it. */
      readonly closeTimeoutMs: number;
      /** How each consumer is made (a co-partitioned assignment for a topology with joins). */
      readonly consumer?: ConsumerOptions | undefined;
    },
  ) {
    this.current = client.createConsumer(settings.consumer);
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
    this.current = this.client.createConsumer(this.settings.consumer);
    await this.retire(old);
    try {
      await this.open();
    } catch (error) {
      await this.current.close().catch(() => undefined);
      throw error;
    }
  }

  /** Closes the current consumer, within `closeTimeoutMs`; rejects when its close failed. */
  close(): Promise<void> {
    return boundedClose(
      this.current.close(),
      this.settings.closeTimeoutMs,
      this.settings.logger,
      NOT_CLOSED,
    );
  }

  /** Closes a replaced consumer: its failure is logged, a hang outwaited. */
  private async retire(consumer: Consumer): Promise<void> {
    const { closeTimeoutMs, logger } = this.settings;
    await boundedClose(consumer.close(), closeTimeoutMs, logger, NOT_CLOSED).catch(
      (error: unknown) =>
        logger.warn('a replaced consumer failed to close', { error: asError(error).message }),
    );
  }
}

const NOT_CLOSED =
  'the consumer did not close in time; the group drops it when its session expires';
