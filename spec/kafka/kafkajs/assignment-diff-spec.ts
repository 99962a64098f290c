import { assignmentDiff, fromMemberAssignment } from '../../../lib/kafka/kafkajs/assignment-diff';

const tp = (topic: string, partition: number) => ({ topic, partition });

describe('assignmentDiff', () => {
  it('should report old minus new as revoked and new minus old as assigned', () => {
    const diff = assignmentDiff([tp('t', 0), tp('t', 1), tp('u', 0)], [tp('t', 1), tp('t', 2)]);
    expect(diff.revoked).toEqual([tp('t', 0), tp('u', 0)]);
    expect(diff.assigned).toEqual([tp('t', 2)]);
    expect(diff.retained).toEqual([tp('t', 1)]);
  });

  it('should assign everything on the first join', () => {
    expect(assignmentDiff([], [tp('t', 1), tp('t', 0)])).toEqual({
      revoked: [],
      assigned: [tp('t', 0), tp('t', 1)],
      retained: [],
    });
  });

  it('should revoke everything when the new assignment is empty', () => {
    expect(assignmentDiff([tp('t', 0)], []).revoked).toEqual([tp('t', 0)]);
  });

  it('should report nothing when the assignment did not change', () => {
    const diff = assignmentDiff([tp('t', 0), tp('t', 1)], [tp('t', 1), tp('t', 0)]);
    expect(diff.revoked).toEqual([]);
    expect(diff.assigned).toEqual([]);
    expect(diff.retained).toEqual([tp('t', 0), tp('t', 1)]);
  });

  it('should report a duplicated partition once', () => {
    expect(assignmentDiff([], [tp('t', 0), tp('t', 0)]).assigned).toEqual([tp('t', 0)]);
  });
});

describe('fromMemberAssignment', () => {
  it('should list partitions sorted by topic, then numerically by partition', () => {
    expect(fromMemberAssignment({ b: [10, 2], a: [1] })).toEqual([
      tp('a', 1),
      tp('b', 2),
      tp('b', 10),
    ]);
  });

  it('should give nothing for an empty assignment', () => {
    expect(fromMemberAssignment({})).toEqual([]);
  });
});
