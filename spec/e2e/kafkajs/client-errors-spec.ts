import {
  Application,
  BrokerConnectionError,
  forEach,
  singleThreadedRunner,
  StreamsBuilder,
  UnknownTopicError,
  type RunnableTopology,
} from 'rx-kstreams';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import { recordingLogger } from '../../support/recording-logger';
import { brokers, createTopic, uniqueName } from '../support/broker';

const reading = (topic: string): RunnableTopology => {
  const builder = new StreamsBuilder();
  builder.stream(topic).pipe(forEach(() => undefined));
  return builder.build();
};

/** What `run` rejects with, and every line written to the console meanwhile. */
const rejection = async (
  run: () => Promise<void>,
): Promise<{ error: unknown; printed: unknown[][] }> => {
  const printed: unknown[][] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      printed.push(args);
    }),
  );
  try {
    await run();
    return { error: undefined, printed };
  } catch (error) {
    return { error, printed };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
};

describe('client errors', () => {
  it('should fail one way, naming the address, when nothing listens there', async () => {
    const logger = recordingLogger();
    const client = kafkajsClient({ brokers: ['127.0.0.1:1'], groupId: uniqueName('nobody') });
    const { error, printed } = await rejection(() =>
      new Application(client, reading('orders')).runWith(
        undefined,
        singleThreadedRunner({ logger }),
      ),
    );
    expect(error).toBeInstanceOf(BrokerConnectionError);
    const failed = error as BrokerConnectionError;
    expect(failed.brokers).toEqual(['127.0.0.1:1']);
    expect(failed.attempts).toBeGreaterThan(1); // kafkajs retried before giving up
    expect(failed.message).toMatch(
      new RegExp(
        `^cannot connect to Kafka at 127\\.0\\.0\\.1:1 \\(Connection error: connect ECONNREFUSED 127\\.0\\.0\\.1:1; ${failed.attempts} attempts in \\d+\\.\\d s\\): check the brokers option`,
      ),
    );
    expect(failed.elapsedMs).toBeLessThan(20_000);
    expect(String(failed)).toMatch(/^BrokerConnectionError: /);
    // The runner's logger had kafkajs's lines, at debug and without kafkajs's stacks; the
    // console had nothing.
    expect(printed).toEqual([]);
    const kafkajsLines = logger.entries.filter(
      (e) => (e.fields as { logger?: string } | undefined)?.logger === 'kafkajs',
    );
    expect(kafkajsLines.length).toBeGreaterThan(0);
    expect(kafkajsLines.every((e) => e.level === 'debug')).toBe(true);
    expect(kafkajsLines.some((e) => 'stack' in (e.fields as object))).toBe(false);
  }, 60_000);

  it('should name a source topic that does not exist, and the brokers asked', async () => {
    const existing = await createTopic(1, 'present');
    const missing = uniqueName('absent');
    const logger = recordingLogger();
    const builder = new StreamsBuilder();
    builder.stream([existing, missing]).pipe(forEach(() => undefined));
    const client = kafkajsClient({ brokers: brokers(), groupId: uniqueName('missing') });
    const { error, printed } = await rejection(() =>
      new Application(client, builder.build()).runWith(undefined, singleThreadedRunner({ logger })),
    );
    expect(error).toBeInstanceOf(UnknownTopicError);
    expect((error as UnknownTopicError).topics).toEqual([missing]);
    expect((error as Error).message).toBe(
      `source topic "${missing}" does not exist at ${brokers().join(', ')}: create it (kafka-topics.sh --create --topic ...), or enable auto.create.topics.enable on the broker`,
    );
    expect(printed).toEqual([]);
  }, 60_000);
});
