import {
  estimateRecordSize,
  RECORD_OVERHEAD_BYTES,
} from '../../../lib/kafka/kafkajs/estimate-record-size';

describe('estimateRecordSize', () => {
  it('should count key and value bytes plus the overhead', () => {
    expect(
      estimateRecordSize({ topic: 't', key: Buffer.from('ab'), value: Buffer.alloc(10) }),
    ).toBe(RECORD_OVERHEAD_BYTES + 12);
  });

  it('should count null key and value as nothing', () => {
    expect(estimateRecordSize({ topic: 't', key: null, value: null })).toBe(RECORD_OVERHEAD_BYTES);
  });

  it('should count header names in UTF-8 and header values', () => {
    const size = estimateRecordSize({
      topic: 't',
      key: null,
      value: null,
      headers: { é: Buffer.alloc(3), x: undefined },
    });
    expect(size).toBe(RECORD_OVERHEAD_BYTES + (2 + 3 + 2) + (1 + 0 + 2));
  });
});
