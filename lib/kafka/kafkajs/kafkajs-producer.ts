import type { CompressionTypes, Producer as KafkajsProducerApi, TopicMessages } from 'kafkajs';
import { ProductionError } from '../../errors/production-error';
import type { Producer, ProducerProgress, ProducerRecord, RecordMetadata } from '../client';
import { assembleBatch, type BatchItem, type BatchLimits } from './assemble-batch';
import { batchOffsets } from './batch-offsets';
import { estimateRecordSize } from './estimate-record-size';
import type { MemoPartitioner } from './memo-partitioner';
import { toKafkajsMessage } from './to-kafkajs-message';
import { connectError } from './client-errors';
import { checkProducerRecord } from '../check-producer-record';

/** What a {@link KafkajsProducer} needs besides the kafkajs producer. */
export interface KafkajsProducerSettings {
  readonly send: {
    readonly acks: -1 | 0 | 1;
    readonly timeout?: number;
    readonly compression?: CompressionTypes;
  };
  readonly batch: BatchLimits & { readonly lingerMs: number };
  /** The bootstrap brokers, for errors that say where (absent: a Kafka instance was given). */
  readonly brokers?: readonly string[] | undefined;
  /** The SASL mechanism and user, for errors (never the password). */
  readonly credentials?: string | undefined;
}

interface PendingSend extends BatchItem {
  readonly record: ProducerRecord;
  readonly enqueuedAt: number;
  readonly resolve: (metadata: RecordMetadata) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The port's {@link Producer} over a kafkajs producer, batching: records of many `send()`
 * calls wait up to `lingerMs` and then until the event-loop turn ends (or until
 * `maxRecords`/`maxBytes` are reached) and go out in one `sendBatch`. Each `send` resolves with its record's own offset when its batch is
 * acknowledged (base offset of its partition + its position there).
 *
 * One batch is in flight at a time: kafkajs retries a failed batch as a whole, so records of
 * one partition are written in the order they were sent. `flush()` sends what waits at once.
 *
 * @example
 * const producer = new KafkajsProducer(kafka.producer({ createPartitioner: memo.createPartitioner }), memo, {
 *   send: { acks: -1 }, batch: { lingerMs: 0, maxRecords: 1000, maxBytes: 1_000_000 },
 * });
 * await producer.connect();
 * const { offset } = await producer.send({ topic: 'out', key: null, value: Buffer.from('v') });
 */
export class KafkajsProducer implements Producer {
  private pending: PendingSend[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private turnEnd: NodeJS.Immediate | undefined;
  private flushing = 0;
  /** Records taken by `send` so far, and how many of them are acknowledged or failed. */
  private accepted = 0;
  private settled = 0;
  private flushWaiters: { readonly upTo: number; readonly resolve: () => void }[] = [];
  private closed: Promise<void> | undefined;

  constructor(
    private readonly producer: KafkajsProducerApi,
    private readonly partitioner: MemoPartitioner,
    private readonly settings: KafkajsProducerSettings,
  ) {}

  async connect(): Promise<void> {
    const startedAt = Date.now();
    try {
      await this.producer.connect();
    } catch (error) {
      throw connectError(
        error,
        this.settings.brokers ?? [],
        startedAt,
        Date.now(),
        this.settings.credentials,
      );
    }
  }

  send(record: ProducerRecord): Promise<RecordMetadata> {
    if (this.closed !== undefined) return Promise.reject(new Error('send() after close()'));
    try {
      checkProducerRecord(record);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<RecordMetadata>((resolve, reject) => {
      const bytes = estimateRecordSize(record);
      this.pending.push({
        topic: record.topic,
        message: toKafkajsMessage(record),
        bytes,
        record,
        enqueuedAt: Date.now(),
        resolve,
        reject,
      });
      this.pendingBytes += bytes;
      this.accepted += 1;
      this.schedule();
    });
  }

  async flush(): Promise<void> {
    // Batches leave in send order and settle in that order (one in flight): the sends made
    // so far are settled once that many records have been.
    const upTo = this.accepted;
    if (this.settled >= upTo) return;
    this.flushing += 1;
    try {
      await new Promise<void>((resolve) => {
        this.flushWaiters.push({ upTo, resolve });
        this.schedule();
      });
    } finally {
      this.flushing -= 1;
    }
  }

  close(): Promise<void> {
    this.closed ??= this.flush().then(() => this.producer.disconnect());
    return this.closed;
  }

  progress(): ProducerProgress {
    return { sent: this.accepted, settled: this.settled };
  }

  /**
   * Sends the next batch now when it must go (full, flushing, closing); else waits: for a
   * timer until the oldest record has lingered `lingerMs`, or, once it has, for the end of the
   * current event-loop turn (`setImmediate`), so that every send made in this turn joins it.
   */
  private schedule(): void {
    const oldest = this.pending[0];
    if (this.inFlight !== undefined || oldest === undefined) return;
    const { lingerMs, maxRecords, maxBytes } = this.settings.batch;
    const mustGo =
      this.flushing > 0 ||
      this.closed !== undefined ||
      this.pending.length >= maxRecords ||
      this.pendingBytes >= maxBytes;
    if (mustGo) {
      this.dispatch();
    } else if (this.timer === undefined && this.turnEnd === undefined) {
      const lingerLeft = lingerMs - (Date.now() - oldest.enqueuedAt);
      const go = (): void => {
        this.timer = undefined;
        this.turnEnd = undefined;
        if (this.inFlight === undefined && this.pending.length > 0) this.dispatch();
      };
      if (lingerLeft > 0) this.timer = setTimeout(go, lingerLeft);
      else this.turnEnd = setImmediate(go);
    }
  }

  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearImmediate(this.turnEnd);
    this.turnEnd = undefined;
    const { items, topicMessages } = assembleBatch(this.pending, this.settings.batch);
    this.pending = this.pending.slice(items.length);
    for (const item of items) this.pendingBytes -= item.bytes;
    this.inFlight = this.sendBatch(items, topicMessages).finally(() => {
      this.inFlight = undefined;
      this.schedule();
    });
  }

  /** Never rejects: the outcome goes to each record's `send` promise. */
  private async sendBatch(
    items: readonly PendingSend[],
    topicMessages: TopicMessages[],
  ): Promise<void> {
    try {
      const responses = await this.producer.sendBatch({ ...this.settings.send, topicMessages });
      const offsets = batchOffsets(responses);
      for (const item of items) {
        const { topic } = item;
        const partition = this.partitioner.partitionOf(item.message) ?? item.record.partition ?? -1;
        item.resolve({ topic, partition, offset: offsets.next(topic, partition) });
      }
    } catch (e) {
      for (const item of items) item.reject(new ProductionError({ topic: item.topic, cause: e }));
    } finally {
      this.settle(items.length);
    }
  }

  private settle(count: number): void {
    this.settled += count;
    if (this.flushWaiters.length === 0) return;
    const due = this.flushWaiters.filter((w) => w.upTo <= this.settled);
    if (due.length === 0) return;
    this.flushWaiters = this.flushWaiters.filter((w) => w.upTo > this.settled);
    for (const waiter of due) waiter.resolve();
  }
}
