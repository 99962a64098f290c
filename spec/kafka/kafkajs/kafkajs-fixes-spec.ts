import { applyKafkajsFixes, KAFKAJS_FIXES_ENV } from '../../../lib/kafka/kafkajs/kafkajs-fixes';
import type { loadKafkajsInternals } from '../../../lib/kafka/kafkajs/kafkajs-internals';
import { recordingLogger } from '../../support/recording-logger';

/** Fresh stand-ins for kafkajs's two patched classes, at a given version. */
const fakeInternals = (version: string): ReturnType<typeof loadKafkajsInternals> => {
  class Connection {
    connect(): Promise<boolean> {
      return Promise.resolve(true);
    }
    processData(): void {}
  }
  class ConsumerGroup {
    async joinAndSync(): Promise<void> {}
    async leave(): Promise<void> {}
  }
  return { version, Connection, ConsumerGroup } as unknown as ReturnType<
    typeof loadKafkajsInternals
  >;
};

const prototypesOf = (internals: ReturnType<typeof loadKafkajsInternals>) => ({
  connect: internals.Connection.prototype.connect,
  processData: internals.Connection.prototype.processData,
  joinAndSync: internals.ConsumerGroup.prototype.joinAndSync,
  leave: internals.ConsumerGroup.prototype.leave,
});

describe('applyKafkajsFixes', () => {
  it('should patch kafkajs 2.2.4 once, then report the fixes as already applied', () => {
    const internals = fakeInternals('2.2.4');
    const before = prototypesOf(internals);
    const log = recordingLogger();
    expect(applyKafkajsFixes(log, () => internals, {})).toEqual({
      _tag: 'Applied',
      version: '2.2.4',
    });
    const after = prototypesOf(internals);
    for (const name of Object.keys(before) as (keyof typeof before)[]) {
      expect(after[name]).not.toBe(before[name]);
    }
    expect(applyKafkajsFixes(log, () => internals, {})).toEqual({
      _tag: 'AlreadyApplied',
      version: '2.2.4',
    });
    expect(prototypesOf(internals)).toEqual(after);
    expect(log.entries.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('should leave another kafkajs version unpatched and warn that it did', () => {
    const internals = fakeInternals('2.3.0');
    const before = prototypesOf(internals);
    const log = recordingLogger();
    expect(applyKafkajsFixes(log, () => internals, {})).toEqual({
      _tag: 'Skipped',
      version: '2.3.0',
      reason: 'written for kafkajs 2.2.4, found 2.3.0',
    });
    expect(prototypesOf(internals)).toEqual(before);
    expect(log.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringMatching(
          /^kafkajs 2\.3\.0: the reconnect and rejoin fixes .* not applied/,
        ),
      }),
    ]);
  });

  it(`should leave kafkajs unpatched when ${KAFKAJS_FIXES_ENV}=off`, () => {
    const internals = fakeInternals('2.2.4');
    const before = prototypesOf(internals);
    expect(
      applyKafkajsFixes(recordingLogger(), () => internals, { [KAFKAJS_FIXES_ENV]: 'off' }),
    ).toEqual({
      _tag: 'Skipped',
      version: '2.2.4',
      reason: `${KAFKAJS_FIXES_ENV}=off`,
    });
    expect(prototypesOf(internals)).toEqual(before);
  });

  it(`should apply only the crash guard when ${KAFKAJS_FIXES_ENV}=crash-guard`, () => {
    const internals = fakeInternals('2.2.4');
    const before = prototypesOf(internals);
    expect(
      applyKafkajsFixes(recordingLogger(), () => internals, {
        [KAFKAJS_FIXES_ENV]: 'crash-guard',
      }),
    ).toEqual({ _tag: 'CrashGuardOnly', version: '2.2.4' });
    const after = prototypesOf(internals);
    expect(after.processData).not.toBe(before.processData);
    expect(after.connect).toBe(before.connect);
    expect(after.joinAndSync).toBe(before.joinAndSync);
    expect(after.leave).toBe(before.leave);
  });

  it('should find the installed kafkajs 2.2.4 and patch its classes', () => {
    const status = applyKafkajsFixes(recordingLogger());
    expect(status.version).toBe('2.2.4');
    expect(['Applied', 'AlreadyApplied']).toContain(status._tag);
    expect(applyKafkajsFixes(recordingLogger())._tag).toBe('AlreadyApplied');
  });
});
