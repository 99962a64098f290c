import { rebalanceEvents } from '../../../lib/kafka/kafkajs/rebalance-event';

const tp = (partition: number) => ({ topic: 't', partition });

describe('rebalanceEvents', () => {
  it('should put revoked before assigned', () => {
    expect(rebalanceEvents({ revoked: [tp(0)], assigned: [tp(1)] })).toEqual([
      { _tag: 'Revoked', partitions: [tp(0)] },
      { _tag: 'Assigned', partitions: [tp(1)] },
    ]);
  });

  it('should leave out an empty side', () => {
    expect(rebalanceEvents({ revoked: [], assigned: [tp(1)] })).toEqual([
      { _tag: 'Assigned', partitions: [tp(1)] },
    ]);
    expect(rebalanceEvents({ revoked: [], assigned: [] })).toEqual([]);
  });
});
