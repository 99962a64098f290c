import { PartitionPositions } from '../../../lib/kafka/kafkajs/partition-positions';

describe('PartitionPositions', () => {
  it('should accept any offset of a partition it knows nothing about', () => {
    const positions = new PartitionPositions();
    expect(positions.accepts('t:0', '0')).toBe(true);
    expect(positions.next('t:0')).toBeUndefined();
  });

  it('should refuse offsets already handed over and accept the next one', () => {
    const positions = new PartitionPositions();
    positions.advance('t:0', '9');
    expect(positions.accepts('t:0', '9')).toBe(false);
    expect(positions.accepts('t:0', '3')).toBe(false);
    expect(positions.accepts('t:0', '10')).toBe(true);
    expect(positions.next('t:0')).toBe('10');
  });

  it('should never move a position backwards', () => {
    const positions = new PartitionPositions();
    positions.advance('t:0', '20');
    positions.advance('t:0', '5');
    expect(positions.next('t:0')).toBe('21');
  });

  it('should compare offsets beyond 2^53 exactly', () => {
    const positions = new PartitionPositions();
    positions.advance('t:0', '9007199254740993');
    expect(positions.accepts('t:0', '9007199254740993')).toBe(false);
    expect(positions.next('t:0')).toBe('9007199254740994');
  });

  it('should keep partitions apart and forget one or all', () => {
    const positions = new PartitionPositions();
    positions.advance('t:0', '1');
    positions.advance('t:1', '2');
    positions.forget('t:0');
    expect(positions.next('t:0')).toBeUndefined();
    expect(positions.next('t:1')).toBe('3');
    positions.clear();
    expect(positions.next('t:1')).toBeUndefined();
  });
});
