import type { ConsumerOptions } from '../kafka/client';
import { asError } from '../errors/as-error';
import type { Consumer, KafkaClient, Producer, RebalanceListener } from '../kafka/client';
import type { Logger } from '../logger/logger';
import { boundedClose } from './bounded-close';
import { ConsumerSlot } from './consumer-slot';

const PRODUCER_NOT_CLOSED = 'the producer did not close in time';

/**
 * The run's consumer and producer, either of which the liveness watchdog may replace: one
 * place opens them, swaps them for fresh ones, and closes them, each close bounded by
 * `closeTimeoutMs` of wall-clock time (a stuck client must not hold the run).
 *
 * @example
 * const clients = new RunClients(client, ['orders'], listener, { logger, closeTimeoutMs });
 * await clients.open();
 * await clients.consumer.poll({ maxRecords: 500, timeoutMs: 1000 });
 */
export class RunClients {
  private readonly slot: ConsumerSlot;
  private current: Producer;

  constructor(
    private readonly client: KafkaClient,
    topics: readonly string[],
    listener: RebalanceListener,
    private readonly settings: {
      readonly logger: Logger;
      readonly closeTimeoutMs: number;
      readonly consumer?: ConsumerOptions | undefined;
    },
  ) {
    this.slot = new ConsumerSlot(client, topics, listener, settings);
    this.current = client.createProducer();
  }

  get consumer(): Consumer {
    return this.slot.consumer;
  }

  get producer(): Producer {
    return this.current;
  }

  /** Connects both (the consumer subscribes); a failure closes both and rejects. */
  async open(): Promise<void> {
    try {
      await Promise.all([this.slot.open(), this.producer.connect()]);
    } catch (error) {
      await Promise.allSettled([this.consumer.close(), this.producer.close()]);
      throw error;
    }
  }

  /** A fresh consumer in place of the current one, and a fresh producer too if `producerToo`. */
  async replace(producerToo: boolean): Promise<void> {
    if (producerToo) await this.replaceProducer();
    await this.slot.replace();
  }

  /** Closes the consumer, then the producer; every outcome is returned, none thrown. */
  async close(): Promise<PromiseSettledResult<void>[]> {
    const { logger, closeTimeoutMs } = this.settings;
    const consumer = await Promise.allSettled([this.slot.close()]);
    const producer = await Promise.allSettled([
      boundedClose(this.producer.close(), closeTimeoutMs, logger, PRODUCER_NOT_CLOSED),
    ]);
    return [...consumer, ...producer];
  }

  private async replaceProducer(): Promise<void> {
    const { logger, closeTimeoutMs } = this.settings;
    const fresh = this.client.createProducer();
    await fresh.connect();
    const old = this.current;
    this.current = fresh;
    // Nothing waits for the stuck one: it closes (or not) in the background.
    void boundedClose(old.close(), closeTimeoutMs, logger, PRODUCER_NOT_CLOSED).catch(
      (error: unknown) =>
        logger.warn('a replaced producer failed to close', { error: asError(error).message }),
    );
  }
}
