import { InMemoryKafka } from '../../../lib/kafka/memory/in-memory-kafka';
import { InMemoryKafkaError } from '../../../lib/kafka/memory/in-memory-kafka-error';
import type { InMemoryProducer } from '../../../lib/kafka/memory/in-memory-producer';
import { partitionForKey } from '../../../lib/kafka/murmur2';
import { nextMacrotask, values } from './fixtures/kit';

const connectedProducer = async (kafka: InMemoryKafka): Promise<InMemoryProducer> => {
  const producer = kafka.client({ groupId: 'app' }).createProducer();
  await producer.connect();
  return producer;
};

const codeOf = (e: unknown): string =>
  e instanceof InMemoryKafkaError ? e.code : `not an InMemoryKafkaError: ${String(e)}`;

const record = (value: string, extra: object = {}) => ({
  topic: 't',
  key: null,
  value: Buffer.from(value),
  ...extra,
});

describe('InMemoryProducer', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('should append at send time, in call order, before the acknowledgement', async () => {
    const kafka = new InMemoryKafka();
    const producer = await connectedProducer(kafka);

    const acks = [producer.send(record('a')), producer.send(record('b'))];

    expect(values(kafka.records('t'))).toEqual(['a', 'b']);
    expect(await Promise.all(acks)).toEqual([
      { topic: 't', partition: 0, offset: '0' },
      { topic: 't', partition: 0, offset: '1' },
    ]);
    await producer.close();
  });

  it('should partition by key as the Java client does, or by the explicit partition', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 5 });
    const producer = await connectedProducer(kafka);
    const key = Buffer.from('customer-7');

    const keyed = await producer.send({ topic: 't', key, value: null });
    const explicit = await producer.send({ topic: 't', key, value: null, partition: 4 });

    expect(keyed.partition).toBe(partitionForKey(key, 5));
    expect(explicit.partition).toBe(4);
    await producer.close();
  });

  it('should keep headers and the given timestamp', async () => {
    const kafka = new InMemoryKafka();
    const producer = await connectedProducer(kafka);

    await producer.send(record('v', { headers: { trace: Buffer.from('abc') }, timestamp: 123 }));

    const [stored] = kafka.records('t');
    expect(stored!.headers).toEqual({ trace: Buffer.from('abc') });
    expect(stored!.timestamp).toBe(123);
    await producer.close();
  });

  it('should acknowledge on a later macrotask, never synchronously, when the latency is 0', async () => {
    const producer = await connectedProducer(new InMemoryKafka());
    let acked = false;

    const ack = producer.send(record('a')).then(() => {
      acked = true;
    });
    for (let i = 0; i < 10; i += 1) await Promise.resolve();

    expect(acked).toBe(false);
    await nextMacrotask();
    await ack;
    expect(acked).toBe(true);
    await producer.close();
  });

  it('should acknowledge after the produce latency, in virtual time', async () => {
    jest.useFakeTimers();
    const kafka = new InMemoryKafka({ produceLatencyMs: 50 });
    const producer = await connectedProducer(kafka);
    let acked = false;

    void producer.send(record('a')).then(() => {
      acked = true;
    });
    await jest.advanceTimersByTimeAsync(49);
    expect(acked).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    expect(acked).toBe(true);
    await producer.close();
  });

  it('should resolve acknowledgements in send order even when the latency drops', async () => {
    jest.useFakeTimers();
    const kafka = new InMemoryKafka({ produceLatencyMs: 100 });
    const producer = await connectedProducer(kafka);
    const order: string[] = [];

    const slow = producer.send(record('slow')).then(() => order.push('slow'));
    kafka.setProduceLatency(0);
    const fast = producer.send(record('fast')).then(() => order.push('fast'));
    await jest.advanceTimersByTimeAsync(100);
    await Promise.all([slow, fast]);

    expect(order).toEqual(['slow', 'fast']);
    await producer.close();
  });

  it('should settle a burst of immediate acks together, in send order, failures included', async () => {
    const kafka = new InMemoryKafka();
    const producer = await connectedProducer(kafka);
    const order: string[] = [];
    const sends = ['a', 'b', 'c'].map((v) => producer.send(record(v)).then(() => order.push(v)));
    const bad = producer.send(record('bad', { partition: 3 })).catch(() => order.push('bad'));
    const later = producer.send(record('d')).then(() => order.push('d'));
    await Promise.all([...sends, bad, later]);
    await producer.flush();

    expect(order).toEqual(['a', 'b', 'c', 'bad', 'd']);
    await producer.close();
  });

  it('should resolve flush once every outstanding acknowledgement settled', async () => {
    jest.useFakeTimers();
    const kafka = new InMemoryKafka({ produceLatencyMs: 20 });
    const producer = await connectedProducer(kafka);
    const settled: string[] = [];
    void producer.send(record('a')).then(() => settled.push('a'));
    void producer.send(record('bad', { partition: 3 })).catch(() => settled.push('bad'));
    let flushed = false;

    const flush = producer.flush().then(() => {
      flushed = true;
    });
    await jest.advanceTimersByTimeAsync(19);
    expect(flushed).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await flush;

    expect(settled).toEqual(['a', 'bad']);
    await producer.close();
  });

  it('should resolve flush at once when nothing is outstanding', async () => {
    const producer = await connectedProducer(new InMemoryKafka());

    await expect(producer.flush()).resolves.toBeUndefined();
    await producer.close();
  });

  it('should flush on close and refuse sends afterwards', async () => {
    const kafka = new InMemoryKafka({ produceLatencyMs: 5 });
    const producer = await connectedProducer(kafka);
    let acked = false;
    void producer.send(record('a')).then(() => {
      acked = true;
    });

    await producer.close();

    expect(acked).toBe(true);
    expect(codeOf(await producer.send(record('late')).catch((e: unknown) => e))).toBe(
      'ILLEGAL_STATE',
    );
    expect(codeOf(await producer.connect().catch((e: unknown) => e))).toBe('ILLEGAL_STATE');
    expect(values(kafka.records('t'))).toEqual(['a']);
  });

  it('should refuse sends before connect', async () => {
    const kafka = new InMemoryKafka();
    const producer = kafka.client({ groupId: 'app' }).createProducer();

    const error = await producer.send(record('a')).catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/connect\(\) before send\(\)/);
    expect(kafka.records('t')).toEqual([]);
  });

  it('should reject a send to a partition that does not exist, appending nothing', async () => {
    const kafka = new InMemoryKafka({ defaultPartitions: 2 });
    const producer = await connectedProducer(kafka);

    const error = await producer.send(record('x', { partition: 2 })).catch((e: unknown) => e);
    const next = await producer.send(record('y'));

    expect(codeOf(error)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(next.offset).toBe('0');
    expect(values(kafka.records('t'))).toEqual(['y']);
    await producer.close();
  });

  it('should reject a send to a missing topic when auto-creation is off', async () => {
    const kafka = new InMemoryKafka({ autoCreateTopics: false });
    const producer = await connectedProducer(kafka);

    const error = await producer.send(record('x')).catch((e: unknown) => e);

    expect(codeOf(error)).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(kafka.topics()).toEqual([]);
    await producer.close();
  });

  it('should reject a send that is not a record', async () => {
    const producer = await connectedProducer(new InMemoryKafka());

    expect(codeOf(await producer.send(null as never).catch((e: unknown) => e))).toBe(
      'INVALID_RECORD',
    );
    await producer.close();
  });
});
