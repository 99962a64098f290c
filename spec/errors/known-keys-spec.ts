import {
  ConfigError,
  exponentialBackoff,
  InMemoryKafka,
  mapValues,
  partitionedRunner,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  to,
} from 'rx-kstreams';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import { nearestName } from '../../lib/errors/known-keys';

/** What `make` throws, for assertions on its message. */
const thrown = (make: () => unknown): Error => {
  try {
    make();
  } catch (error) {
    return error as Error;
  }
  throw new Error('nothing was thrown');
};

describe('unknown option keys', () => {
  it('should name a misspelt runner option and the option meant', () => {
    const error = thrown(() => partitionedRunner({ channelBuferSize: 10 } as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^invalid option channelBuferSize: partitionedRunner has no such option; did you mean channelBufferSize\? \(it takes: .*channelBufferSize/,
    );
    expect(thrown(() => singleThreadedRunner({ drainTimeout: 5 } as never)).message).toContain(
      'did you mean drainTimeoutMs?',
    );
  });

  it('should refuse an option of the other runner, listing what this one takes', () => {
    const error = thrown(() => singleThreadedRunner({ channelBufferSize: 10 } as never));
    expect(error.message).toContain('singleThreadedRunner has no such option');
    expect(error.message).toContain('drainTimeoutMs');
    expect(error.message).not.toContain('workerShutdownTimeoutMs');
  });

  it('should refuse a key that is near nothing without guessing', () => {
    const error = thrown(() => partitionedRunner({ colour: 'blue' } as never));
    expect(error.message).toMatch(
      /^invalid option colour: partitionedRunner has no such option \(/,
    );
  });

  it('should refuse a misspelt key of every options object', () => {
    const cases: Array<[() => unknown, string]> = [
      [
        () => kafkajsClient({ brokers: ['127.0.0.1:9092'], groupId: 'g', groupID: 'x' } as never),
        'groupId',
      ],
      [() => new InMemoryKafka({ defaultPartition: 3 } as never), 'defaultPartitions'],
      [
        () => new InMemoryKafka().client({ groupId: 'g', fromBegining: false } as never),
        'fromBeginning',
      ],
      [() => new StreamsBuilder().stream('in', { vaule: Serdes.string() } as never), 'value'],
      [() => to('out', { key: Serdes.string(), nmae: 'sink' } as never), 'name'],
      [() => mapValues((v: unknown) => v, { nam: 'x' } as never), 'name'],
      [() => Serdes.json({ validator: () => true } as never), 'validate'],
      [() => exponentialBackoff({ initialMS: 10 } as never), 'initialMs'],
    ];
    for (const [make, meant] of cases) {
      const error = thrown(make);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain(`did you mean ${meant}?`);
    }
  });

  it('should still take every documented option', () => {
    expect(() =>
      partitionedRunner({ channelBufferSize: 10, drainTimeoutMs: 5, workerShutdownTimeoutMs: 5 }),
    ).not.toThrow();
    expect(
      () => new InMemoryKafka({ defaultPartitions: 2, autoCreateTopics: false }),
    ).not.toThrow();
  });
});

describe('nearestName', () => {
  it('should find a swap, a missing letter and a case slip', () => {
    const known = ['channelBufferSize', 'commitIntervalMs', 'maxPollRecords'];
    expect(nearestName('chanelBufferSize', known)).toBe('channelBufferSize');
    expect(nearestName('comimtIntervalMs', known)).toBe('commitIntervalMs');
    expect(nearestName('maxpollrecords', known)).toBe('maxPollRecords');
    expect(nearestName('timeout', known)).toBeUndefined();
  });
});
