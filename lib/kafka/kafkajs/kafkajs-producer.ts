import type { CompressionTypes, Producer as KafkajsProducerApi, TopicMessages } from 'kafkajs';
import { ProductionError } from '../../errors/production-error';
import type { Producer, ProducerRecord, RecordMetadata } from '../client';
import { assembleBatch, type BatchItem, type BatchLimits } from './assemble-batch';
import { batchOffsets } from './batch-offsets';
import { estimateRecordSize } from './estimate-record-size';
import type { MemoPartitioner } from './memo-partitioner';
import { toKafkajsMessage } from './to-kafkajs-message';

/** What a {@link KafkajsProducer} needs besides the kafkajs producer. */
export interface KafkajsProducerSettings {
  readonly send: {
    readonly acks: -1 | 0 | 1;
    readonly timeout?: number;
    readonly compression?: CompressionTypes;
  };
  readonly batch: BatchLimits & { readonly lingerMs: number };
}

interface PendingSend extends BatchItem {
  readonly record: ProducerRecord;
  readonly enqueuedAt: number;
  readonly resolve: (metadata: RecordMetadata) => void;
  readonly reject: (error: unknown) => void;
}

const checkRecord = (record: ProducerRecord): void => {
  if (typeof record !== 'object' || record === null)
    throw new TypeError('send(): record must be an object');
  if (typeof record.topic !== 'string' || record.topic === '') {
    throw new TypeError(
      `send(): record.topic must be a non-empty string, got ${JSON.stringify(record.topic)}`,
    );
  }
  for (const field of ['key', 'value'] as const) {
    const bytes = record[field];
    if (bytes !== null && !Buffer.isBuffer(bytes)) {
      throw new TypeError(`send(): record.${field} must be a Buffer or null (serialize it first)`);
    }
  }
  if (
    record.partition !== undefined &&
    (!Number.isInteger(record.partition) || record.partition < 0)
  ) {
    throw new TypeError(
      `send(): record.partition must be an integer >= 0, got ${record.partition}`,
    );
  }
};

/**
 * The port's {@link Producer} over a kafkajs producer, batching: records of many `send()`
 * calls wait up to `lingerMs` (or until `maxRecords`/`maxBytes` are reached) and go out in
 * one `sendBatch`. Each `send` resolves with its record's own offset when its batch is
 * acknowledged (base offset of its partition + its position there).
 *
 * One batch is in flight at a time: kafkajs retries a failed batch as a whole, so records of
 * one partition are written in the order they were sent. `flush()` sends what waits at once.
 *
 * @example
 * const producer = new KafkajsProducer(kafka.producer({ createPartitioner: memo.createPartitioner }), memo, {
 *   send: { acks: -1 }, batch: { lingerMs: 5, maxRecords: 1000, maxBytes: 1_000_000 },
 * });
 * await producer.connect();
 * const { offset } = await producer.send({ topic: 'out', key: null, value: Buffer.from('v') });
 */
export class KafkajsProducer implements Producer {
  private pending: PendingSend[] = [];
  private pendingBytes = 0;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private flushing = 0;
  private readonly unsettled = new Set<Promise<RecordMetadata>>();
  private closed: Promise<void> | undefined;

  constructor(
    private readonly producer: KafkajsProducerApi,
    private readonly partitioner: MemoPartitioner,
    private readonly settings: KafkajsProducerSettings,
  ) {}

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  send(record: ProducerRecord): Promise<RecordMetadata> {
    if (this.closed !== undefined) return Promise.reject(new Error('send() after close()'));
    try {
      checkRecord(record);
    } catch (e) {
      return Promise.reject(e);
    }
    const sent = new Promise<RecordMetadata>((resolve, reject) => {
      const bytes = estimateRecordSize(record);
      const message = toKafkajsMessage(record);
      this.pending.push({
        topic: record.topic,
        message,
        bytes,
        record,
        enqueuedAt: Date.now(),
        resolve,
        reject,
      });
      this.pendingBytes += bytes;
    });
    this.unsettled.add(sent);
    const settle = (): void => {
      this.unsettled.delete(sent);
    };
    sent.then(settle, settle);
    this.schedule();
    return sent;
  }

  async flush(): Promise<void> {
    const waitFor = [...this.unsettled];
    this.flushing += 1;
    this.schedule();
    try {
      await Promise.allSettled(waitFor);
    } finally {
      this.flushing -= 1;
    }
  }

  close(): Promise<void> {
    this.closed ??= this.flush().then(() => this.producer.disconnect());
    return this.closed;
  }

  /** Sends the next batch now when it is due (full, lingered, flushing), or sets a timer. */
  private schedule(): void {
    const oldest = this.pending[0];
    if (this.inFlight !== undefined || oldest === undefined) return;
    const { lingerMs, maxRecords, maxBytes } = this.settings.batch;
    const waited = Date.now() - oldest.enqueuedAt;
    const due =
      this.flushing > 0 ||
      this.closed !== undefined ||
      waited >= lingerMs ||
      this.pending.length >= maxRecords ||
      this.pendingBytes >= maxBytes;
    if (due) {
      this.dispatch();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, lingerMs - waited);
    }
  }

  private dispatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
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
      const targets = items.map((item) => ({
        topic: item.topic,
        partition: this.partitioner.partitionOf(item.message) ?? item.record.partition ?? -1,
      }));
      batchOffsets(targets, responses).forEach((metadata, i) => items[i]?.resolve(metadata));
    } catch (e) {
      for (const item of items) item.reject(new ProductionError({ topic: item.topic, cause: e }));
    }
  }
}
