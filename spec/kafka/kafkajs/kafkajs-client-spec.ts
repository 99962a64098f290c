import { Kafka } from 'kafkajs';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import { ConfigError } from '../../../lib/errors/config-error';
import { KafkajsConsumer } from '../../../lib/kafka/kafkajs/kafkajs-consumer';
import { KafkajsProducer } from '../../../lib/kafka/kafkajs/kafkajs-producer';

describe('kafkajsClient', () => {
  it('should check its options when it is built', () => {
    expect(() => kafkajsClient({ brokers: ['127.0.0.1:9092'], groupId: '' })).toThrow(ConfigError);
    expect(() => kafkajsClient({ brokers: ['127.0.0.1:9092'], groupId: '' })).toThrow(/groupId/);
  });

  it('should create consumers of its group and producers without connecting', () => {
    const client = kafkajsClient({ brokers: ['127.0.0.1:9092'], groupId: 'orders' });
    expect(client.groupId).toBe('orders');
    const consumer = client.createConsumer();
    expect(consumer).toBeInstanceOf(KafkajsConsumer);
    expect((consumer as KafkajsConsumer).groupId).toBe('orders');
    expect(consumer.assignment()).toEqual([]);
    expect(client.createProducer()).toBeInstanceOf(KafkajsProducer);
  });

  it('should build consumers and producers from a given Kafka instance with the Java partitioner wrapped', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:9092'] });
    const consumer = jest.spyOn(kafka, 'consumer');
    const producer = jest.spyOn(kafka, 'producer');
    const client = kafkajsClient({ kafka, groupId: 'g', consumer: { sessionTimeout: 12_000 } });
    client.createConsumer();
    client.createProducer();
    expect(consumer).toHaveBeenCalledWith({
      groupId: 'g',
      maxWaitTimeInMs: 100,
      sessionTimeout: 12_000,
      // kafkajs's default consumer retry, and a restart that a closed consumer refuses.
      retry: { retries: 5, restartOnFailure: expect.any(Function) },
    });
    expect(producer).toHaveBeenCalledWith({ createPartitioner: expect.any(Function) });
  });

  it("should keep the user's retry and restartOnFailure, which decides until the consumer closes", async () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:9092'] });
    const consumer = jest.spyOn(kafka, 'consumer');
    const userRestart = jest.fn(async () => true);
    const client = kafkajsClient({
      kafka,
      groupId: 'g',
      consumer: { retry: { retries: 9, restartOnFailure: userRestart } },
    });
    const created = client.createConsumer();
    const config = consumer.mock.calls[0]?.[0];
    expect(config?.retry?.retries).toBe(9);
    const restartOnFailure = config?.retry?.restartOnFailure;
    expect(await restartOnFailure?.(new Error('cut'))).toBe(true);
    expect(userRestart).toHaveBeenCalledTimes(1);
    await created.close();
    expect(await restartOnFailure?.(new Error('cut'))).toBe(false);
    expect(userRestart).toHaveBeenCalledTimes(1);
  });
});
