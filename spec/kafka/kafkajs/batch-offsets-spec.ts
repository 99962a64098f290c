import { batchOffsets, UNKNOWN_OFFSET } from '../../../lib/kafka/kafkajs/batch-offsets';

const tp = (topic: string, partition: number) => ({ topic, partition });

describe('batchOffsets', () => {
  it("should give each record its partition's base offset plus its position there", () => {
    const metas = batchOffsets(
      [tp('t', 0), tp('t', 1), tp('t', 0), tp('u', 0), tp('t', 0)],
      [
        { topicName: 't', partition: 0, errorCode: 0, baseOffset: '10' },
        { topicName: 't', partition: 1, errorCode: 0, baseOffset: '3' },
        { topicName: 'u', partition: 0, errorCode: 0, baseOffset: '0' },
      ],
    );
    expect(metas).toEqual([
      { topic: 't', partition: 0, offset: '10' },
      { topic: 't', partition: 1, offset: '3' },
      { topic: 't', partition: 0, offset: '11' },
      { topic: 'u', partition: 0, offset: '0' },
      { topic: 't', partition: 0, offset: '12' },
    ]);
  });

  it('should count offsets beyond 2^53 exactly', () => {
    const [, second] = batchOffsets(
      [tp('t', 0), tp('t', 0)],
      [{ topicName: 't', partition: 0, errorCode: 0, baseOffset: '9007199254740992' }],
    );
    expect(second?.offset).toBe('9007199254740993');
  });

  it('should report an unknown offset when the broker gave none', () => {
    expect(
      batchOffsets(
        [tp('t', 0), tp('t', 1)],
        [{ topicName: 't', partition: 1, errorCode: 0, baseOffset: '-1' }],
      ),
    ).toEqual([
      { topic: 't', partition: 0, offset: UNKNOWN_OFFSET },
      { topic: 't', partition: 1, offset: UNKNOWN_OFFSET },
    ]);
  });
});
