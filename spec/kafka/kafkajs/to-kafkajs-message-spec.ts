import { toKafkajsMessage } from '../../../lib/kafka/kafkajs/to-kafkajs-message';

describe('toKafkajsMessage', () => {
  it('should carry key, value, headers, partition and timestamp over', () => {
    const message = toKafkajsMessage({
      topic: 'out',
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: { h: Buffer.from('1'), none: undefined },
      partition: 2,
      timestamp: 1_700_000_000_000,
    });
    expect(message).toEqual({
      key: Buffer.from('k'),
      value: Buffer.from('v'),
      headers: { h: Buffer.from('1'), none: undefined },
      partition: 2,
      timestamp: '1700000000000',
    });
  });

  it('should leave partition, timestamp and headers unset when the record has none', () => {
    const message = toKafkajsMessage({ topic: 'out', key: null, value: null });
    expect(message.key).toBeNull();
    expect(message.value).toBeNull();
    expect(message.partition).toBeUndefined();
    expect(message.timestamp).toBeUndefined();
    expect(message.headers).toBeUndefined();
  });

  it('should not share the headers object with the record', () => {
    const headers = { h: Buffer.from('1') };
    expect(toKafkajsMessage({ topic: 'out', key: null, value: null, headers }).headers).not.toBe(
      headers,
    );
  });
});
