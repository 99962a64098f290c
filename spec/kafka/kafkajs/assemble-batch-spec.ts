import { assembleBatch, type BatchItem } from '../../../lib/kafka/kafkajs/assemble-batch';

const item = (topic: string, value: string, bytes = 10): BatchItem => ({
  topic,
  message: { key: null, value },
  bytes,
});

describe('assembleBatch', () => {
  it('should take everything within the limits and group it by topic in send order', () => {
    const pending = [item('a', '1'), item('b', '2'), item('a', '3')];
    const { items, topicMessages } = assembleBatch(pending, { maxRecords: 10, maxBytes: 100 });
    expect(items).toEqual(pending);
    expect(topicMessages).toEqual([
      {
        topic: 'a',
        messages: [
          { key: null, value: '1' },
          { key: null, value: '3' },
        ],
      },
      { topic: 'b', messages: [{ key: null, value: '2' }] },
    ]);
  });

  it('should stop at maxRecords', () => {
    const { items } = assembleBatch([item('a', '1'), item('a', '2'), item('a', '3')], {
      maxRecords: 2,
      maxBytes: 100,
    });
    expect(items.map((i) => i.message.value)).toEqual(['1', '2']);
  });

  it('should stop before the record that would pass maxBytes', () => {
    const { items } = assembleBatch([item('a', '1', 40), item('a', '2', 40), item('a', '3', 40)], {
      maxRecords: 10,
      maxBytes: 100,
    });
    expect(items.map((i) => i.message.value)).toEqual(['1', '2']);
  });

  it('should take a first record larger than maxBytes alone', () => {
    const { items } = assembleBatch([item('a', 'big', 500), item('a', 'small', 1)], {
      maxRecords: 10,
      maxBytes: 100,
    });
    expect(items.map((i) => i.message.value)).toEqual(['big']);
  });

  it('should give an empty batch for nothing pending', () => {
    expect(assembleBatch([], { maxRecords: 10, maxBytes: 100 })).toEqual({
      items: [],
      topicMessages: [],
    });
  });
});
