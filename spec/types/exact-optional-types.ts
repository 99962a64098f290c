/**
 * Under `exactOptionalPropertyTypes` (on in `spec/types/tsconfig.json`), an optional option
 * given as `undefined` means "not given": every optional property of the public options
 * of the DSL, the serdes, the backoffs and the Kafka clients is declared `| undefined`, so
 * `{ logger: undefined }` and `{ ...defaults, name: maybeName }` compile.
 */
import {
  type CommitFaultOptions,
  type ExponentialBackoffOptions,
  exponentialBackoff,
  InMemoryKafka,
  type InMemoryClientOptions,
  type InMemoryKafkaOptions,
  type InMemoryRecordInput,
  type JsonSerdeOptions,
  type KStream,
  type NodeOptions,
  type PollOptions,
  type ProduceFaultOptions,
  type ProducerRecord,
  Serdes,
  type StreamOptions,
  StreamsBuilder,
  to,
  type ToOptions,
} from 'rx-kstreams';
import {
  kafkajsClient,
  type KafkajsClientOptions,
  type KafkajsProducerOptions,
} from 'rx-kstreams/kafkajs';
import { assertNone, type RefusesUndefined, value } from './expect-type';

// Every optional property takes undefined (a new one declared without it fails here).
assertNone<RefusesUndefined<NodeOptions>>();
assertNone<RefusesUndefined<ToOptions<string, number>>>();
assertNone<RefusesUndefined<StreamOptions<string, number>>>();
assertNone<RefusesUndefined<JsonSerdeOptions<number>>>();
assertNone<RefusesUndefined<ExponentialBackoffOptions>>();
assertNone<RefusesUndefined<InMemoryKafkaOptions>>();
assertNone<RefusesUndefined<InMemoryClientOptions>>();
assertNone<RefusesUndefined<ProduceFaultOptions>>();
assertNone<RefusesUndefined<CommitFaultOptions>>();
assertNone<RefusesUndefined<NonNullable<Parameters<InMemoryKafka['injectConsumerStalls']>[1]>>>();
assertNone<RefusesUndefined<InMemoryRecordInput>>();
assertNone<RefusesUndefined<PollOptions>>();
assertNone<RefusesUndefined<ProducerRecord>>();
assertNone<RefusesUndefined<KafkajsClientOptions>>();
assertNone<RefusesUndefined<KafkajsProducerOptions>>();
assertNone<RefusesUndefined<NonNullable<KafkajsClientOptions['consumer']>>>();

// And the calls users write compile.
const maybeName = value<string | undefined>();
const builder = new StreamsBuilder();
const source = builder.stream('in', { key: undefined, value: undefined, name: maybeName });
source.to('out', { key: undefined, value: undefined, name: undefined });
source.to('out', undefined);
builder.stream('other', undefined).pipe(to('other-copy', undefined));
source.branch({ all: () => true }, { name: maybeName }).all.to('all', { name: maybeName });
const keyed = value<KStream<string, Buffer | null>>();
keyed.pipe(to('out', { key: Serdes.string(), value: undefined, name: undefined }));
Serdes.json<number>({ replacer: undefined, reviver: undefined, validate: undefined });
exponentialBackoff({
  initialMs: undefined,
  maxMs: undefined,
  multiplier: undefined,
  jitter: undefined,
  random: undefined,
});

const kafka = new InMemoryKafka({
  defaultPartitions: undefined,
  autoCreateTopics: undefined,
  produceLatencyMs: undefined,
  now: undefined,
});
kafka.client({ groupId: 'g', fromBeginning: undefined });
kafka.produce('in', [
  { key: undefined, value: 'v', headers: undefined, partition: undefined, timestamp: undefined },
]);
kafka.injectProduceErrors(1, { topic: undefined, error: undefined });
kafka.injectCommitErrors(1, { error: undefined, rebalanceInProgress: undefined });
kafka.injectConsumerStalls(1, { mode: undefined });
export const poll: PollOptions = { maxRecords: 1, timeoutMs: 0, signal: undefined };
export const record: ProducerRecord = {
  topic: 'out',
  key: null,
  value: null,
  headers: undefined,
  partition: undefined,
  timestamp: undefined,
};

export const client = (): unknown =>
  kafkajsClient({
    brokers: ['localhost:9092'],
    kafka: undefined,
    groupId: 'g',
    clientId: undefined,
    consumer: { sessionTimeout: undefined, maxWaitTimeInMs: undefined },
    producer: { lingerMs: undefined, acks: undefined, idempotent: undefined, retry: undefined },
    fromBeginning: undefined,
    maxQueuedRecords: undefined,
    logLevel: undefined,
    logger: undefined,
  });
