import * as O from 'fp-ts/lib/Option.js';
import {
  Action,
  ConfigError,
  forEach,
  Serdes,
  StreamsBuilder,
  to,
  TopologyError,
  withDLQ,
} from 'rx-kstreams';
import { MAX_TOPIC_NAME_LENGTH, topicNameProblem } from '../../lib/kafka/topic-name';

describe('topic names', () => {
  it('should take what Kafka takes', () => {
    for (const name of ['orders', 'orders.v1', 'ORDERS_dlq-2', 'a'.repeat(MAX_TOPIC_NAME_LENGTH)]) {
      expect(topicNameProblem(name)).toEqual(O.none);
    }
  });

  it('should name what Kafka would refuse', () => {
    expect(topicNameProblem('my orders')).toEqual(
      O.some(
        'has characters Kafka does not allow (" "); use only letters, digits, ".", "_" and "-"',
      ),
    );
    expect(topicNameProblem('a/b:c/d')).toEqual(O.some(expect.stringContaining('("/", ":")')));
    expect(topicNameProblem('..')).toEqual(O.some(expect.stringContaining('"." or ".."')));
    expect(topicNameProblem('x'.repeat(250))).toEqual(
      O.some('is 250 characters long; Kafka allows 249'),
    );
  });

  it('should fail build() for a source or sink topic Kafka cannot hold, naming both', () => {
    const builder = new StreamsBuilder();
    builder.stream('my orders', { value: Serdes.string() }).pipe(forEach(() => undefined));
    builder.stream('in').pipe(to('out/priced'));
    const error = (() => {
      try {
        builder.build();
      } catch (e) {
        return e as Error;
      }
      throw new Error('build() did not throw');
    })();
    expect(error).toBeInstanceOf(TopologyError);
    expect(error.message).toContain(
      'reads topic "my orders", which has characters Kafka does not allow (" ")',
    );
    expect(error.message).toContain(
      'writes topic "out/priced", which has characters Kafka does not allow ("/")',
    );
  });

  it('should refuse a DLQ topic Kafka cannot hold when the handler is made', () => {
    expect(() => withDLQ('orders dlq')).toThrow(ConfigError);
    expect(() => withDLQ('orders dlq')).toThrow(/withDLQ topic: "orders dlq" has characters/);
    expect(() => Action.sendToDLQ('dlq!')).toThrow(/Action.sendToDLQ topic: "dlq!" has characters/);
  });
});

describe('Action.retry', () => {
  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['100']])(
    'should refuse a delay of %p, naming it',
    (delay) => {
      expect(() => Action.retry(delay as number)).toThrow(ConfigError);
      expect(() => Action.retry(delay as number)).toThrow(
        /Action.retry delayMs: must be a finite number of ms >= 0/,
      );
    },
  );

  it('should take zero and the default', () => {
    expect(Action.retry()).toEqual({ _tag: 'Retry', delayMs: 0 });
    expect(Action.retry(0)).toEqual({ _tag: 'Retry', delayMs: 0 });
  });
});
