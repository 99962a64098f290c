// --- serdes ---
export type { Serde } from './serde/serde';
export { Serdes } from './serde/serdes';
export type { JsonSerdeOptions } from './serde/json';
export type { ProtobufReflectedType, ProtobufType, ProtobufWriter } from './serde/protobuf';
export { SerdeError, type SerdeErrorDetails } from './errors/serde-error';

// --- topology DSL ---
export { StreamsBuilder, type StreamOptions } from './kstream/streams-builder';
export { KStream } from './kstream/kstream';
export { TerminalStream } from './kstream/terminal-stream';
export { DEFAULT_BRANCH } from './kstream/default-branch';
export type { BranchPredicate, Branches } from './kstream/branch-predicate';
export type { KeyValue } from './kstream/key-value';
export type { NodeOptions } from './kstream/node-options';
export type { StreamOperator, TerminalOperator } from './kstream/stream-operator';
export type { Processor, ProcessorSupplier } from './kstream/processor';
export type { ProcessorContext } from './kstream/processor-context';
export { filter } from './kstream/operators/filter';
export { filterNot } from './kstream/operators/filter-not';
export { map } from './kstream/operators/map';
export { mapValues } from './kstream/operators/map-values';
export { mapKeys } from './kstream/operators/map-keys';
export { flatMap } from './kstream/operators/flat-map';
export { flatMapValues } from './kstream/operators/flat-map-values';
export { peek } from './kstream/operators/peek';
export { process, type ProcessOptions } from './kstream/operators/process';
export { to, type ToOptions, type TopicNameExtractor } from './kstream/operators/to';
export { forEach } from './kstream/operators/for-each';
export { Topology, type CreateTaskOptions } from './topology/topology';
export type {
  TopologyTask,
  RecordSink,
  TaskInfo,
  RunnableTopology,
} from './topology/topology-task';
export type {
  NodeDescription,
  SourceDescription,
  ProcessorDescription,
  SinkDescription,
} from './topology/node-description';
export type { NodeKind } from './topology/node-kind';
export type {
  OperatorNode,
  TerminalNode,
  StepNode,
  StepKind,
  ProcessorNode,
  SinkNode,
  ForEachNode,
} from './topology/operator-node';

// --- in-memory kafka ---
export {
  InMemoryKafka,
  type ProduceFaultOptions,
  type CommitFaultOptions,
} from './kafka/memory/in-memory-kafka';
export type { InMemoryKafkaOptions } from './kafka/memory/in-memory-kafka-options';
export {
  InMemoryKafkaClient,
  type InMemoryClientOptions,
} from './kafka/memory/in-memory-kafka-client';
export { InMemoryConsumer } from './kafka/memory/in-memory-consumer';
export { InMemoryProducer } from './kafka/memory/in-memory-producer';
export type { GroupMemberState } from './kafka/memory/consumer-group';
export type { InMemoryRecordInput } from './kafka/memory/record-input';
export {
  InMemoryKafkaError,
  type InMemoryKafkaErrorCode,
} from './kafka/memory/in-memory-kafka-error';
export { InjectedFaultError, type FaultKind } from './kafka/memory/injected-fault-error';
