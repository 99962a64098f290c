import { batchOffsets, UNKNOWN_OFFSET } from '../../../lib/kafka/kafkajs/batch-offsets';

describe('batchOffsets', () => {
  it("should give each record its partition's base offset plus its position there", () => {
    const offsets = batchOffsets([
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '10' },
      { topicName: 't', partition: 1, errorCode: 0, baseOffset: '3' },
      { topicName: 'u', partition: 0, errorCode: 0, baseOffset: '0' },
    ]);
    const sent = [
      ['t', 0],
      ['t', 1],
      ['t', 0],
      ['u', 0],
      ['t', 0],
    ] as const;
    expect(sent.map(([topic, partition]) => offsets.next(topic, partition))).toEqual([
      '10',
      '3',
      '11',
      '0',
      '12',
    ]);
  });

  it('should count offsets beyond 2^53 exactly', () => {
    const offsets = batchOffsets([
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: '9007199254740992' },
    ]);
    expect([offsets.next('t', 0), offsets.next('t', 0)]).toEqual([
      '9007199254740992',
      '9007199254740993',
    ]);
  });

  it('should count exactly just below the point where numbers stop being exact', () => {
    const offsets = batchOffsets([
      { topicName: 't', partition: 0, errorCode: 0, baseOffset: String(2 ** 53 - 2) },
    ]);
    expect([offsets.next('t', 0), offsets.next('t', 0), offsets.next('t', 0)]).toEqual([
      '9007199254740990',
      '9007199254740991',
      '9007199254740992',
    ]);
  });

  it('should report an unknown offset when the broker gave none', () => {
    const offsets = batchOffsets([
      { topicName: 't', partition: 1, errorCode: 0, baseOffset: '-1' },
    ]);
    expect([offsets.next('t', 0), offsets.next('t', 1)]).toEqual([UNKNOWN_OFFSET, UNKNOWN_OFFSET]);
  });
});
