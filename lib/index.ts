// --- serdes ---
export type { Serde } from './serde/serde';
export type { Bytes } from './serde/bytes';
export { Serdes } from './serde/serdes';
export type { JsonSerdeOptions } from './serde/json';
export type { ProtobufReflectedType, ProtobufType, ProtobufWriter } from './serde/protobuf';
export { SerdeError, type SerdeErrorDetails } from './errors/serde-error';
export { decode } from './serde/decode';
export type { Decoder, Validator } from './serde/validator';
export type {
  StandardSchemaV1,
  StandardSchemaResult,
  StandardSchemaIssue,
} from './serde/standard-schema';

// --- records and the client port ---
export type { StreamRecord, RawRecord, Headers, TopicPartition } from './record/stream-record';
export type { Offset } from './kafka/offset';
export {
  CommitError,
  type KafkaClient,
  type Consumer,
  type Producer,
  type ProducerRecord,
  type RecordMetadata,
  type RebalanceListener,
  type PollOptions,
  type CommitOffset,
  type PartitionLag,
  type ProducerProgress,
  type InternalTopics,
  type TopicDescription,
  type NewTopic,
} from './kafka/client';

// --- errors ---
export type { ErrorPhase, PhasedError } from './errors/phase';
export { ProcessingError, type ProcessingErrorDetails } from './errors/processing-error';
export { ProductionError, type ProductionErrorDetails } from './errors/production-error';
export { TopologyError } from './errors/topology-error';
export { ConfigError } from './errors/config-error';
export {
  BrokerConnectionError,
  type BrokerConnectionErrorDetails,
} from './errors/broker-connection-error';
export {
  BrokerAuthenticationError,
  type AuthenticationMethod,
  type BrokerAuthenticationErrorDetails,
} from './errors/broker-authentication-error';
export { UnknownTopicError } from './errors/unknown-topic-error';

// --- logging ---
export {
  noopLogger,
  consoleLogger,
  type Logger,
  type LogLevel,
  type LogFields,
} from './logger/logger';

// --- backoff ---
export type { Backoff } from './backoff/backoff';
export { fixedBackoff } from './backoff/fixed-backoff';
export { exponentialBackoff, type ExponentialBackoffOptions } from './backoff/exponential-backoff';

// --- error handling ---
export { Action } from './errorhandler/action';
export type { ErrorContext } from './errorhandler/error-context';
export type { ErrorHandler } from './errorhandler/error-handler';
export { silentFail } from './errorhandler/silent-fail';
export { logAndContinue } from './errorhandler/log-and-continue';
export { logAndFail } from './errorhandler/log-and-fail';
export { withMaxAttempts } from './errorhandler/with-max-attempts';
export { withDLQ } from './errorhandler/with-dlq';
export { actionLogger } from './errorhandler/action-logger';
export { mapAction } from './errorhandler/then-action';
export { DLQ_HEADERS } from './errorhandler/dlq-headers';

// --- application and runners ---
export { Application, type ApplicationOptions } from './runner/application';
export {
  singleThreadedRunner,
  type SingleThreadedRunnerOptions,
} from './runner/single-threaded-runner';
export { partitionedRunner, type PartitionedRunnerOptions } from './runner/partitioned-runner';
export type { Ordering } from './runner/record-ordering';
export type { RunnerOptions } from './runner/runner-options';

// --- telemetry (OpenTelemetry) ---
export type { TelemetryOptions } from './otel/telemetry-options';
export { ATTR, KAFKA, OPERATION, OPERATION_TYPE, SCHEMA_URL } from './otel/semconv';
export { METRIC, DURATION_BUCKETS } from './otel/metric-names';
export { EVENT } from './otel/event-names';
export { TRACEPARENT } from './otel/trace-headers';
export type {
  Runner,
  RunnerFactory,
  RunnerContext,
  RunnerKind,
  RunnerStats,
  PartitionStats,
  LocalStore,
  LocalStores,
} from './runner/runner';

// --- state stores ---
export type { KeyValueStore, ReadOnlyKeyValueStore } from './state/key-value-store';
export type { KeyValueBytesStore, KeyValueBytesStoreSupplier } from './state/bytes-store';
export {
  Stores,
  changelogTopic,
  type StoreDefinition,
  type KeyValueStoreOptions,
} from './state/stores';
export type { TaskStore } from './state/task-store';
export { StorePool } from './state/store-pool';
export type { StoreChange, StoreChanges } from './state/store-change';
export { StoreNotLocalError } from './state/local-store-query';
export type { RecordStats, ErrorStats, ProcessingTimeStats } from './task/record-counters';
export { shutdownSignal, type ShutdownSignal } from './runner/shutdown-signal';
export { ConsumerStalledError } from './runner/consumer-stalled-error';
export type { Stall } from './runner/liveness-watchdog';

// --- in-memory kafka ---
export {
  InMemoryKafka,
  type ProduceFaultOptions,
  type CommitFaultOptions,
} from './kafka/memory/in-memory-kafka';
export type { InMemoryKafkaOptions } from './kafka/memory/in-memory-kafka-options';
export type { ConsumerStallMode } from './kafka/memory/cluster';
export {
  InMemoryKafkaClient,
  type InMemoryClientOptions,
} from './kafka/memory/in-memory-kafka-client';
// Types only: the in-memory Kafka makes them (`kafka.client(...)`); a test may cast to reach
// `crash()` and the like.
export type { InMemoryConsumer } from './kafka/memory/in-memory-consumer';
export type { InMemoryProducer } from './kafka/memory/in-memory-producer';
export type { GroupMemberState } from './kafka/memory/consumer-group';
export type { InMemoryRecordInput } from './kafka/memory/record-input';
export {
  InMemoryKafkaError,
  type InMemoryKafkaErrorCode,
} from './kafka/memory/in-memory-kafka-error';
export { InjectedFaultError, type FaultKind } from './kafka/memory/injected-fault-error';

// --- topology DSL ---
export {
  StreamsBuilder,
  type StreamArguments,
  type StreamOptions,
  type TableOptions,
} from './kstream/streams-builder';
export { KStream, type GroupByOptions } from './kstream/kstream';
export type { ValueJoiner } from './kstream/stream-table-join';
export {
  KGroupedStream,
  type AggregateOptions,
  type CountOptions,
} from './kstream/kgrouped-stream';
export { KTable } from './kstream/ktable';
export { TerminalStream } from './kstream/terminal-stream';
export { DEFAULT_BRANCH, type DefaultBranch } from './kstream/default-branch';
export type {
  BranchPredicate,
  Branches,
  BranchStreams,
  NoSymbolKeys,
} from './kstream/branch-predicate';
export type { KeyValue } from './kstream/key-value';
export type { KeyValueCallback } from './kstream/key-value-callback';
export type { NodeOptions } from './kstream/node-options';
export type { StreamOperator, TerminalOperator } from './kstream/stream-operator';
export type { Processor, ProcessorSupplier } from './topology/processor';
export type { ProcessorContext } from './topology/processor-context';
export type { RecordContext } from './topology/record-context';
export { filter } from './kstream/operators/filter';
export { filterNot } from './kstream/operators/filter-not';
export { map } from './kstream/operators/map';
export { mapValues } from './kstream/operators/map-values';
export { mapKeys } from './kstream/operators/map-keys';
export { flatMap } from './kstream/operators/flat-map';
export { flatMapValues } from './kstream/operators/flat-map-values';
export { peek } from './kstream/operators/peek';
export { process, type ProcessOptions } from './kstream/operators/process';
export {
  to,
  type KeySerdeRequired,
  type SerdesRequired,
  type ToArguments,
  type ToOptions,
  type TopicNameExtractor,
  type ValueSerdeRequired,
} from './kstream/operators/to';
export { forEach } from './kstream/operators/for-each';
export { Topology, type CreateTaskOptions } from './topology/topology';
export type {
  TopologyTask,
  Pushed,
  RecordSink,
  TaskInfo,
  RunnableTopology,
} from './topology/topology-task';
export type { TopologyInstance } from './topology/topology-instance';
export type {
  NodeDescription,
  SourceDescription,
  ProcessorDescription,
  SinkDescription,
} from './topology/node-description';
export type { NodeKind } from './topology/node-kind';
