import * as O from 'fp-ts/lib/Option.js';
import { OffsetTracker } from '../../lib/task/offset-tracker';

describe('OffsetTracker', () => {
  it('should have nothing to commit before a record is done', () => {
    const t = new OffsetTracker();
    t.begin('5');
    expect(t.committable()).toEqual(O.none);
    expect(t.unfinished).toBe(1);
  });

  it('should commit the end of the contiguous done prefix only', () => {
    const t = new OffsetTracker();
    ['10', '11', '12', '13'].forEach((o) => t.begin(o));
    t.done('11');
    t.done('13');
    expect(t.committable()).toEqual(O.none);
    t.done('10');
    expect(t.committable()).toEqual(O.some('12'));
    t.done('12');
    expect(t.committable()).toEqual(O.some('14'));
    expect(t.unfinished).toBe(0);
  });

  it('should follow gaps in offsets (compacted topics)', () => {
    const t = new OffsetTracker();
    ['3', '7', '20'].forEach((o) => t.begin(o));
    t.done('3');
    t.done('7');
    expect(t.committable()).toEqual(O.some('8'));
  });

  it('should refuse offsets that do not increase', () => {
    const t = new OffsetTracker();
    t.begin('4');
    expect(() => t.begin('4')).toThrow(/must increase/);
  });

  it('should ignore a done for an offset never begun', () => {
    const t = new OffsetTracker();
    t.begin('1');
    t.done('99');
    expect(t.unfinished).toBe(1);
  });

  it('should stay correct over many records (compaction of its queue)', () => {
    const t = new OffsetTracker();
    for (let i = 0; i < 5000; i++) t.begin(String(i));
    for (let i = 0; i < 4999; i++) t.done(String(i));
    expect(t.committable()).toEqual(O.some('4999'));
    t.begin('5000');
    t.done('5000');
    expect(t.committable()).toEqual(O.some('4999'));
    t.done('4999');
    expect(t.committable()).toEqual(O.some('5001'));
  });
});
