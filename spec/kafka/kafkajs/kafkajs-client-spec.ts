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
    });
    expect(producer).toHaveBeenCalledWith({ createPartitioner: expect.any(Function) });
  });
});
