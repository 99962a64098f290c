import {
  compareOffsets,
  isOffset,
  offsetAfter,
  offsetBefore,
  offsetIndex,
  offsetsBetween,
} from '../../lib/kafka/offset';
import { OffsetTracker } from '../../lib/task/offset-tracker';

/** An offset past 2^53, where a JavaScript number would round. */
const HUGE = '9007199254740993';

describe('offsets', () => {
  it('should compare as numbers, not as text', () => {
    expect(compareOffsets('9', '10')).toBe(-1);
    expect(compareOffsets('10', '9')).toBe(1);
    expect(compareOffsets('42', '42')).toBe(0);
    expect(compareOffsets(HUGE, '9007199254740992')).toBe(1);
  });

  it('should step exactly past 2^53', () => {
    expect(offsetAfter('41')).toBe('42');
    expect(offsetAfter(HUGE)).toBe('9007199254740994');
    expect(offsetBefore(HUGE)).toBe('9007199254740992');
  });

  it('should count the records between two offsets, never below zero', () => {
    expect(offsetsBetween('10', '25')).toBe(15n);
    expect(offsetsBetween('25', '10')).toBe(0n);
    expect(offsetsBetween('9007199254740990', HUGE)).toBe(3n);
  });

  it("should tell a real offset from Kafka's -1 and from junk", () => {
    expect(isOffset('0')).toBe(true);
    expect(isOffset(HUGE)).toBe(true);
    expect(isOffset('-1')).toBe(false);
    expect(isOffset('1e3')).toBe(false);
    expect(isOffset('')).toBe(false);
  });

  it('should refuse an offset a number cannot hold rather than round it', () => {
    expect(offsetIndex('123')).toBe(123);
    expect(() => offsetIndex(HUGE)).toThrow(/9007199254740993 is not an integer below 2\^53/);
    const tracker = new OffsetTracker();
    expect(() => tracker.begin(HUGE)).toThrow(RangeError);
    expect(tracker.unfinished).toBe(0);
  });
});
