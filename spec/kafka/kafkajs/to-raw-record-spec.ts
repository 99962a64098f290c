import type { KafkaMessage } from 'kafkajs';
import { toHeaders, toRawRecord } from '../../../lib/kafka/kafkajs/to-raw-record';

describe('toRawRecord', () => {
  const message = (fields: Partial<KafkaMessage>): KafkaMessage =>
    ({
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      timestamp: '1700000000123',
      attributes: 0,
      offset: '42',
      headers: {},
      ...fields,
    }) as KafkaMessage;

  it('should keep key and value bytes and make the timestamp a number', () => {
    expect(toRawRecord('orders', 3, message({}))).toEqual({
      topic: 'orders',
      partition: 3,
      offset: '42',
      timestamp: 1_700_000_000_123,
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: {},
    });
  });

  it('should keep null keys and values as null', () => {
    const record = toRawRecord('t', 0, message({ key: null, value: null }));
    expect(record.key).toBeNull();
    expect(record.value).toBeNull();
  });

  it('should give an empty headers object when the message has none', () => {
    expect(toRawRecord('t', 0, message({ headers: undefined })).headers).toEqual({});
  });
});

describe('toHeaders', () => {
  it('should keep Buffer values and turn strings into Buffers', () => {
    expect(toHeaders({ a: Buffer.from('1'), b: 'two' })).toEqual({
      a: Buffer.from('1'),
      b: Buffer.from('two'),
    });
  });

  it('should keep the last value of a repeated header', () => {
    expect(toHeaders({ a: [Buffer.from('first'), Buffer.from('last')] })).toEqual({
      a: Buffer.from('last'),
    });
  });

  it('should turn a null header value into undefined', () => {
    const headers = toHeaders({ a: null });
    expect('a' in headers).toBe(true);
    expect(headers['a']).toBeUndefined();
  });
});
