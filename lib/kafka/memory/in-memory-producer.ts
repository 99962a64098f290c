import type { Producer, ProducerRecord, RecordMetadata } from '../client';
import type { Cluster } from './cluster';
import { InMemoryKafkaError } from './in-memory-kafka-error';
import { kindOf } from './record-input';

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

  /** Made by {@link InMemoryKafkaClient.createProducer}; not for direct use. */
  constructor(private readonly cluster: Cluster) {}

  async connect(): Promise<void> {
    if (this.state === 'closed') throw illegal('connect(): the producer is closed');
    this.state = 'connected';
  }

  send(record: ProducerRecord): Promise<RecordMetadata> {
    const outcome = this.append(record);
    const delay = wait(this.cluster.produceLatencyMs);
    const ack = Promise.all([this.lastAck, delay]).then(() => {
      if (outcome.ok) return outcome.metadata;
      throw outcome.error;
    });
    this.lastAck = ack.then(ignore, ignore);
    return ack;
  }

  /** Resolves when every acknowledgement of the sends so far has settled. */
  flush(): Promise<void> {
    return this.lastAck;
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
          `send(): expected a record, got ${kindOf(record)}`,
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

const wait = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (ms === 0) setImmediate(resolve);
    else setTimeout(resolve, ms);
  });

const illegal = (message: string): InMemoryKafkaError =>
  new InMemoryKafkaError('ILLEGAL_STATE', message);
