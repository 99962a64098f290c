import type { Producer, ProducerProgress, ProducerRecord, RecordMetadata } from '../client';
import type { Cluster } from './cluster';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import { describeValue } from '../../errors/kind-of';

type ProducerState = 'created' | 'connected' | 'closed';

type Outcome =
  | { readonly ok: true; readonly metadata: RecordMetadata }
  | { readonly ok: false; readonly error: unknown };

/**
 * The client port's {@link Producer} on the in-memory Kafka. `send` appends at once, in
 * call order, so the order of sends to a partition is the order in the log; the
 * acknowledgement follows after the broker's produce latency, acknowledgements resolving
 * in send order. With a latency of 0 it resolves on the next macrotask (`setImmediate`),
 * never synchronously. A failed send (an injected fault, an unknown topic, a bad record)
 * appends nothing and its acknowledgement rejects.
 *
 * @example
 * const producer = kafka.client({ groupId: 'app' }).createProducer();
 * await producer.connect();
 * const meta = await producer.send({ topic: 'orders', key: Buffer.from('k'), value: Buffer.from('v') });
 * meta.offset; // '0'
 */
export class InMemoryProducer implements Producer {
  private state: ProducerState = 'created';
  private lastAck: Promise<void> = Promise.resolve();
  private immediate: AckBurst | undefined;
  private sent = 0;
  private settled = 0;
  /** An injected stall taken at a send: from then on no send settles. */
  private stalled = false;

  /** Made by {@link InMemoryKafkaClient.createProducer}; not for direct use. */
  constructor(private readonly cluster: Cluster) {}

  async connect(): Promise<void> {
    if (this.state === 'closed') throw illegal('connect(): the producer is closed');
    this.state = 'connected';
  }

  send(record: ProducerRecord): Promise<RecordMetadata> {
    this.sent += 1;
    if (!this.stalled && this.state === 'connected' && this.cluster.pendingProducerStalls > 0) {
      this.cluster.pendingProducerStalls -= 1;
      this.stalled = true;
    }
    if (this.stalled) return new Promise<never>(() => undefined);
    const outcome = this.append(record);
    const latency = this.cluster.produceLatencyMs;
    if (latency === 0) return (this.immediate ?? this.startBurst()).add(outcome);
    const ack = Promise.all([this.lastAck, wait(latency)]).then(() => {
      this.settled += 1;
      return settle(outcome);
    });
    this.lastAck = ack.then(ignore, ignore);
    return ack;
  }

  progress(): ProducerProgress {
    return { sent: this.sent, settled: this.settled };
  }

  /**
   * Acks due on the next macrotask are settled together, after every earlier ack and in
   * send order: one timer for a whole burst of sends rather than one per send.
   */
  private startBurst(): AckBurst {
    const burst = new AckBurst();
    this.immediate = burst;
    this.lastAck = Promise.all([this.lastAck, wait(0)]).then(() => {
      if (this.immediate === burst) this.immediate = undefined;
      this.settled += burst.size;
      burst.settleAll();
    });
    return burst;
  }

  flush(): Promise<void> {
    return this.stalled ? new Promise<never>(() => undefined) : this.lastAck;
  }

  /** Flushes, then refuses further sends. */
  async close(): Promise<void> {
    await this.flush();
    this.state = 'closed';
  }

  private append(record: ProducerRecord): Outcome {
    try {
      if (this.state !== 'connected') {
        throw illegal(
          this.state === 'closed'
            ? 'send(): the producer is closed'
            : 'call connect() before send()',
        );
      }
      if (typeof record !== 'object' || record === null) {
        throw new InMemoryKafkaError(
          'INVALID_RECORD',
          `send(): expected a record, got ${describeValue(record)}`,
        );
      }
      const fault = this.cluster.produceFaults.take(record.topic);
      if (fault !== undefined) throw fault;
      const [metadata] = this.cluster.produce(record.topic, [record]);
      return { ok: true, metadata: metadata! };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

const ignore = (): void => undefined;

const settle = (outcome: Outcome): RecordMetadata => {
  if (outcome.ok) return outcome.metadata;
  throw outcome.error;
};

/** Sends whose acks are all due on one macrotask, settled in send order. */
class AckBurst {
  private readonly waiting: Array<{
    readonly outcome: Outcome;
    readonly resolve: (metadata: RecordMetadata) => void;
    readonly reject: (error: unknown) => void;
  }> = [];

  get size(): number {
    return this.waiting.length;
  }

  add(outcome: Outcome): Promise<RecordMetadata> {
    return new Promise((resolve, reject) => this.waiting.push({ outcome, resolve, reject }));
  }

  settleAll(): void {
    for (const { outcome, resolve, reject } of this.waiting) {
      if (outcome.ok) resolve(outcome.metadata);
      else reject(outcome.error);
    }
  }
}

const wait = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (ms === 0) setImmediate(resolve);
    else setTimeout(resolve, ms);
  });

const illegal = (message: string): InMemoryKafkaError =>
  new InMemoryKafkaError('ILLEGAL_STATE', message);
