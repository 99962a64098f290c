import { getEventListeners } from 'events';
import { InMemoryKafka } from '../../../lib/kafka/memory/in-memory-kafka';
import { startConsumer } from './fixtures/kit';

/** Tracks the timers set from now on: a timer leaves the set when it fires or is cleared. */
const trackTimers = (): Set<unknown> => {
  const open = new Set<unknown>();
  const realSetTimeout = global.setTimeout;
  const realClearTimeout = global.clearTimeout;
  jest.spyOn(global, 'setTimeout').mockImplementation(((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const handle = realSetTimeout(() => {
      open.delete(handle);
      callback(...args);
    }, ms);
    open.add(handle);
    return handle;
  }) as typeof setTimeout);
  jest.spyOn(global, 'clearTimeout').mockImplementation((handle) => {
    open.delete(handle);
    realClearTimeout(handle);
  });
  return open;
};

const nextMacrotask = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('InMemoryKafka open handles', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should clear the timer of a waiting poll when the consumer closes', async () => {
    const timers = trackTimers();
    const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
    const waiting = consumer.poll({ maxRecords: 1, timeoutMs: 60_000 });
    await nextMacrotask();
    expect(timers.size).toBe(1);

    await consumer.close();
    await waiting;

    expect(timers.size).toBe(0);
  });

  it('should clear the timer of a waiting poll that a record wakes', async () => {
    const timers = trackTimers();
    const kafka = new InMemoryKafka();
    const consumer = await startConsumer(kafka, 'g', ['t']);
    const waiting = consumer.poll({ maxRecords: 1, timeoutMs: 60_000 });
    await nextMacrotask();
    expect(timers.size).toBe(1);

    kafka.produce('t', [{ value: 'x' }]);
    await waiting;

    expect(timers.size).toBe(0);
    await consumer.close();
  });

  it('should clear the timer of a waiting poll that is aborted', async () => {
    const timers = trackTimers();
    const consumer = await startConsumer(new InMemoryKafka(), 'g', ['t']);
    const controller = new AbortController();
    const waiting = consumer.poll({ maxRecords: 1, timeoutMs: 60_000, signal: controller.signal });
    await nextMacrotask();
    expect(timers.size).toBe(1);

    controller.abort();
    await waiting;

    expect(timers.size).toBe(0);
    await consumer.close();
  });

  it('should remove its abort listener from the signal when a waiting poll ends', async () => {
    const kafka = new InMemoryKafka();
    const consumer = await startConsumer(kafka, 'g', ['t']);
    const { signal } = new AbortController();
    const waiting = consumer.poll({ maxRecords: 1, timeoutMs: 60_000, signal });
    await nextMacrotask();
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);

    kafka.produce('t', [{ value: 'x' }]);
    await waiting;

    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    await consumer.close();
  });

  it('should leave no timer behind once every producer acknowledgement settled', async () => {
    const timers = trackTimers();
    const kafka = new InMemoryKafka({ produceLatencyMs: 5 });
    const producer = kafka.client({ groupId: 'g' }).createProducer();
    await producer.connect();

    void producer.send({ topic: 't', key: null, value: null });
    void producer.send({ topic: 't', key: null, value: null });
    expect(timers.size).toBe(2);
    await producer.close();

    expect(timers.size).toBe(0);
  });
});
