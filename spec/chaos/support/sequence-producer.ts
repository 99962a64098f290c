import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { SequencedValue } from './chaos-app-settings';

/** An input record the producer wrote and the broker acknowledged, with when. */
export interface AckedInput {
  readonly id: string;
  readonly ackedAt: number;
}

/** What a record carries besides its key and number (bad-records and hang modes). */
export type Marking = (key: string, seq: number) => 'malformed' | 'fail' | 'hang' | undefined;

/**
 * Writes keyed, numbered records (`{ key, seq, id }`, id `key:seq`) to a topic with a plain
 * kafkajs producer connected straight to the broker, and keeps those the broker acknowledged.
 * Keys are `k0`…`k(keys-1)`, taken in turn, so each key's numbers rise with its offsets.
 *
 * @example
 * const producer = await SequenceProducer.connect(brokers, topic, { keys: 24 });
 * await producer.produce(2000);           // at once, in batches
 * producer.startContinuous(200);          // 200 records/s until stopContinuous()
 */
export class SequenceProducer {
  readonly acked: AckedInput[] = [];
  /** Sends the broker refused or that timed out (their records may still be in the topic). */
  failedSends = 0;
  private readonly seqs: number[];
  private turn = 0;
  private continuous: { stop: boolean; done: Promise<void> } | undefined;

  /** Failed sends in a row; after a few, the producer is replaced (see {@link send}). */
  private failingInARow = 0;

  private constructor(
    private readonly kafka: Kafka,
    private producer: Producer,
    readonly topic: string,
    private readonly keys: number,
    private readonly marking: Marking,
  ) {
    this.seqs = Array.from({ length: keys }, () => 0);
  }

  static async connect(
    brokers: readonly string[],
    topic: string,
    options: { readonly keys: number; readonly marking?: Marking },
  ): Promise<SequenceProducer> {
    const kafka = new Kafka({
      clientId: 'chaos-sequence-producer',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 200 },
    });
    // Idempotent: a retried send is written once, so the input holds each id once.
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return new SequenceProducer(
      kafka,
      producer,
      topic,
      options.keys,
      options.marking ?? (() => undefined),
    );
  }

  /** Records produced so far (acknowledged or not). */
  get produced(): number {
    return this.turn;
  }

  /** Produces `count` records in batches of `batch`, each batch acknowledged before the next. */
  async produce(count: number, batch = 500): Promise<void> {
    for (let left = count; left > 0; left -= batch) await this.send(Math.min(batch, left));
  }

  /** Produces about `perSecond` records a second (in small batches) until {@link stopContinuous}. */
  startContinuous(perSecond: number): void {
    const state = { stop: false, done: Promise.resolve() };
    const batch = Math.max(1, Math.round(perSecond / 10));
    state.done = (async () => {
      while (!state.stop) {
        const started = Date.now();
        await this.send(batch);
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
      }
    })();
    this.continuous = state;
  }

  async stopContinuous(): Promise<void> {
    if (this.continuous === undefined) return;
    this.continuous.stop = true;
    await this.continuous.done;
    this.continuous = undefined;
  }

  async disconnect(): Promise<void> {
    await this.stopContinuous();
    await this.producer.disconnect();
  }

  private async send(count: number): Promise<void> {
    const ids: string[] = [];
    const messages = Array.from({ length: count }, () => {
      const k = this.turn % this.keys;
      this.turn += 1;
      const key = `k${k}`;
      const seq = this.seqs[k]!;
      this.seqs[k] = seq + 1;
      const id = `${key}:${seq}`;
      ids.push(id);
      const mark = this.marking(key, seq);
      const value: SequencedValue = {
        key,
        seq,
        id,
        ...(mark === 'fail' ? { fail: true } : {}),
        ...(mark === 'hang' ? { hang: true } : {}),
      };
      return { key, value: mark === 'malformed' ? `{"id":"${id}",` : JSON.stringify(value) };
    });
    try {
      await this.producer.send({ topic: this.topic, messages, acks: -1 });
      const ackedAt = Date.now();
      for (const id of ids) this.acked.push({ id, ackedAt });
      this.failingInARow = 0;
    } catch {
      this.failedSends += 1;
      this.failingInARow += 1;
      if (this.failingInARow >= 5) await this.replaceProducer();
    }
  }

  /**
   * A kafkajs idempotent producer whose sends failed across a broker restart can stay out of
   * step with the broker's sequence numbers and fail every send after (the chaos runs saw
   * hundreds in a row): a fresh producer (a new producer id) writes again. What failed stays
   * unacknowledged, as before.
   */
  private async replaceProducer(): Promise<void> {
    this.failingInARow = 0;
    const stale = this.producer;
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await stale.disconnect().catch(() => undefined);
    await this.producer.connect().catch(() => undefined);
  }
}
