import {
  Partitioners,
  type Producer as KafkajsProducerApi,
  type ProducerBatch,
  type RecordMetadata as KafkajsRecordMetadata,
} from 'kafkajs';
import { ProductionError } from '../../../lib/errors/production-error';
import type { RecordMetadata } from '../../../lib/kafka/client';
import { KafkajsProducer } from '../../../lib/kafka/kafkajs/kafkajs-producer';
import { memoPartitioner, type MemoPartitioner } from '../../../lib/kafka/kafkajs/memo-partitioner';

/**
 * A stand-in for a kafkajs producer, no network: partitions each message with the
 * producer's partitioner (as kafkajs does) and answers with a base offset per partition.
 */
class FakeKafkajsProducer {
  readonly batches: ProducerBatch[] = [];
  readonly offsets = new Map<string, number>();
  failNext: Error | undefined;
  hold: Promise<void> | undefined;
  connected = false;
  private readonly partition: ReturnType<MemoPartitioner['createPartitioner']>;

  constructor(
    memo: MemoPartitioner,
    private readonly partitions = 3,
  ) {
    this.partition = memo.createPartitioner();
  }

  asKafkajs(): KafkajsProducerApi {
    return this as unknown as KafkajsProducerApi;
  }

  async connect(): Promise<void> {
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
  }

  async sendBatch(batch: ProducerBatch): Promise<KafkajsRecordMetadata[]> {
    this.batches.push(batch);
    if (this.hold !== undefined) await this.hold;
    if (this.failNext !== undefined) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const partitionMetadata = Array.from({ length: this.partitions }, (_, partitionId) => ({
      partitionId,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    }));
    const responses: KafkajsRecordMetadata[] = [];
    for (const { topic, messages } of batch.topicMessages ?? []) {
      const counts = new Map<number, number>();
      for (const message of messages) {
        const p = this.partition({ topic, partitionMetadata, message });
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
      for (const [partition, count] of counts) {
        const key = `${topic}:${partition}`;
        const base = this.offsets.get(key) ?? 0;
        this.offsets.set(key, base + count);
        responses.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(base) });
      }
    }
    return responses;
  }
}

describe('KafkajsProducer', () => {
  let fake: FakeKafkajsProducer;
  let producer: KafkajsProducer;

  const make = (
    batch: { lingerMs?: number; maxRecords?: number; maxBytes?: number } = {},
  ): void => {
    const memo = memoPartitioner(Partitioners.DefaultPartitioner);
    fake = new FakeKafkajsProducer(memo);
    producer = new KafkajsProducer(fake.asKafkajs(), memo, {
      send: { acks: -1 },
      batch: { lingerMs: 5, maxRecords: 1000, maxBytes: 1_000_000, ...batch },
    });
  };

  const record = (i: number, partition?: number) => ({
    topic: 'out',
    key: Buffer.from(`key-${i}`),
    value: Buffer.from(`v-${i}`),
    partition,
  });

  beforeEach(() => {
    jest.useFakeTimers();
    make();
  });
  afterEach(() => jest.useRealTimers());

  it('should put the sends made within lingerMs into one sendBatch', async () => {
    const sends = [0, 1, 2].map((i) => producer.send(record(i, 0)));
    await jest.advanceTimersByTimeAsync(4);
    expect(fake.batches).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    await Promise.all(sends);
    expect(fake.batches).toHaveLength(1);
    expect(fake.batches[0]?.topicMessages?.[0]?.messages).toHaveLength(3);
    expect(fake.batches[0]?.acks).toBe(-1);
  });

  it('should send the sends of one event-loop turn in one sendBatch when lingerMs is 0', async () => {
    make({ lingerMs: 0 });
    const first = [0, 1, 2].map((i) => producer.send(record(i, 0)));
    expect(fake.batches).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(0);
    expect(fake.batches.map((b) => b.topicMessages?.[0]?.messages.length)).toEqual([3]);
    const second = [3, 4].map((i) => producer.send(record(i, 0)));
    await jest.advanceTimersByTimeAsync(0);
    expect(fake.batches.map((b) => b.topicMessages?.[0]?.messages.length)).toEqual([3, 2]);
    const offsets = (await Promise.all([...first, ...second])).map((m) => m.offset);
    expect(offsets).toEqual(['0', '1', '2', '3', '4']);
  });

  it('should let the sends made while a batch is in flight fill the next one', async () => {
    make({ lingerMs: 0 });
    let release: () => void = () => undefined;
    fake.hold = new Promise((r) => {
      release = r;
    });
    const first = producer.send(record(0, 0));
    await jest.advanceTimersByTimeAsync(0);
    const more = [1, 2, 3].map((i) => producer.send(record(i, 0)));
    await jest.advanceTimersByTimeAsync(10);
    expect(fake.batches).toHaveLength(1);
    fake.hold = undefined;
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(fake.batches.map((b) => b.topicMessages?.[0]?.messages.length)).toEqual([1, 3]);
    expect((await Promise.all([first, ...more])).map((m) => m.offset)).toEqual([
      '0',
      '1',
      '2',
      '3',
    ]);
  });

  it('should resolve flush once the sends made before it are settled, failed ones too', async () => {
    make({ lingerMs: 600_000, maxRecords: 1 });
    let release: () => void = () => undefined;
    fake.hold = new Promise((r) => {
      release = r;
    });
    fake.failNext = new Error('boom');
    const failed = producer.send(record(0, 0)).catch((e: unknown) => e);
    const ok = producer.send(record(1, 0));
    let flushed = false;
    const flushing = producer.flush().then(() => (flushed = true));
    const later = producer.send(record(2, 0));
    await jest.advanceTimersByTimeAsync(0);
    expect(flushed).toBe(false);
    fake.hold = undefined;
    release();
    await flushing;
    expect(await failed).toBeInstanceOf(ProductionError);
    expect((await ok).offset).toBe('0');
    await producer.flush();
    expect((await later).offset).toBe('1');
  });

  it('should resolve each send with its own partition and offset', async () => {
    const sends = [0, 1, 2, 3].map((i) => producer.send(record(i, i % 2)));
    await jest.advanceTimersByTimeAsync(5);
    expect(await Promise.all(sends)).toEqual<RecordMetadata[]>([
      { topic: 'out', partition: 0, offset: '0' },
      { topic: 'out', partition: 1, offset: '0' },
      { topic: 'out', partition: 0, offset: '1' },
      { topic: 'out', partition: 1, offset: '1' },
    ]);
  });

  it('should report the partition the Java-compatible partitioner chose for a key', async () => {
    const partition = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({
      partitionId,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    }));
    const sends = [0, 1, 2, 3, 4, 5].map((i) => producer.send(record(i)));
    await jest.advanceTimersByTimeAsync(5);
    const metas = await Promise.all(sends);
    metas.forEach((meta, i) =>
      expect(meta.partition).toBe(
        partition({
          topic: 'out',
          partitionMetadata,
          message: { key: Buffer.from(`key-${i}`), value: null },
        }),
      ),
    );
  });

  it('should send at once when maxRecords wait, in batches of maxRecords', async () => {
    make({ maxRecords: 2, lingerMs: 60_000 });
    const sends = [0, 1, 2, 3, 4].map((i) => producer.send(record(i, 0)));
    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(0);
    expect(fake.batches.map((b) => b.topicMessages?.[0]?.messages.length)).toEqual([2, 2]);
    await producer.flush();
    expect((await Promise.all(sends)).map((m) => m.offset)).toEqual(['0', '1', '2', '3', '4']);
    expect(fake.batches.map((b) => b.topicMessages?.[0]?.messages.length)).toEqual([2, 2, 1]);
  });

  it('should keep one batch in flight and send the next after its acknowledgement', async () => {
    let release: () => void = () => undefined;
    fake.hold = new Promise((r) => {
      release = r;
    });
    const first = producer.send(record(0, 0));
    await jest.advanceTimersByTimeAsync(5);
    const second = producer.send(record(1, 0));
    await jest.advanceTimersByTimeAsync(50);
    expect(fake.batches).toHaveLength(1);
    fake.hold = undefined;
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(fake.batches).toHaveLength(2);
    expect((await first).offset).toBe('0');
    expect((await second).offset).toBe('1');
  });

  it('should send what waits on flush without waiting for the linger', async () => {
    make({ lingerMs: 600_000 });
    let acked = 0;
    const sends = [0, 1].map((i) => producer.send(record(i, 0)).then(() => (acked += 1)));
    await producer.flush();
    expect(acked).toBe(2);
    await Promise.all(sends);
  });

  it('should reject every send of a failed batch with a ProductionError and go on', async () => {
    fake.failNext = new Error('NOT_LEADER_FOR_PARTITION');
    const failed = [0, 1].map((i) => producer.send(record(i, 0)));
    const settled = Promise.allSettled(failed);
    await jest.advanceTimersByTimeAsync(5);
    const results = await settled;
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as ProductionError;
      expect(reason).toBeInstanceOf(ProductionError);
      expect(reason.topic).toBe('out');
      expect(reason.message).toContain('NOT_LEADER_FOR_PARTITION');
    }
    const next = producer.send(record(2, 0));
    await jest.advanceTimersByTimeAsync(5);
    expect((await next).offset).toBe('0');
  });

  it('should split a batch at maxBytes but always send a record larger than it', async () => {
    make({ maxBytes: 10 });
    const big = producer.send({ topic: 'out', key: null, value: Buffer.alloc(100), partition: 0 });
    const small = producer.send({ topic: 'out', key: null, value: Buffer.alloc(1), partition: 0 });
    await producer.flush();
    expect((await big).offset).toBe('0');
    expect((await small).offset).toBe('1');
    expect(fake.batches).toHaveLength(2);
  });

  it('should reject a record whose key or value is not bytes, or with a bad partition', async () => {
    await expect(
      producer.send({ topic: 'out', key: null, value: 'text' as unknown as Buffer }),
    ).rejects.toThrow(/record.value must be a Buffer or null/);
    await expect(
      producer.send({ topic: 'out', key: 1 as unknown as Buffer, value: null }),
    ).rejects.toThrow(/record.key/);
    await expect(producer.send({ topic: '', key: null, value: null })).rejects.toThrow(
      /record.topic/,
    );
    await expect(
      producer.send({ topic: 'out', key: null, value: null, partition: -1 }),
    ).rejects.toThrow(/record.partition/);
  });

  it('should flush on close, disconnect, and refuse later sends', async () => {
    make({ lingerMs: 600_000 });
    await producer.connect();
    expect(fake.connected).toBe(true);
    const sent = producer.send(record(0, 0));
    await producer.close();
    expect((await sent).offset).toBe('0');
    expect(fake.connected).toBe(false);
    await expect(producer.send(record(1, 0))).rejects.toThrow(/after close/);
  });
});
