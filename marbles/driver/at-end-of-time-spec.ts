import { timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { atEndOfTime } from './at-end-of-time';

describe('atEndOfTime', () => {
  it('should run the check once, after every other action, at the last frame', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const seen: string[] = [];

    scheduler.run(({ cold }) => {
      atEndOfTime(scheduler, () => seen.push(`check@${scheduler.now()}`));
      cold('--a|').subscribe(() => seen.push(`a@${scheduler.now()}`));
      // An action of the last frame that schedules another one in the same frame.
      timer(5).subscribe(() => scheduler.schedule(() => seen.push(`late@${scheduler.now()}`)));
    });

    expect(seen).toEqual(['a@2', 'late@5', 'check@5']);
  });

  it('should make the run throw what the check throws, before comparing', () => {
    const scheduler = new TestScheduler(() => {
      throw new Error('compared');
    });

    expect(() =>
      scheduler.run(({ cold, expectObservable }) => {
        atEndOfTime(scheduler, () => {
          throw new Error('checked');
        });
        expectObservable(cold('-a|')).toBe('-b|');
      }),
    ).toThrow('checked');
  });
});
