/**
 * The OpenTelemetry semantic conventions rx-kstreams follows (messaging, Kafka), as of
 * v1.44.0 of the conventions: every attribute key and well-known value, in one place.
 * Copied rather than imported, as the conventions advise libraries (the messaging names are
 * still incubating there).
 *
 * @example
 * span.setAttribute(ATTR.destinationName, 'orders');
 */
export const SCHEMA_URL = 'https://opentelemetry.io/schemas/1.44.0';

export const ATTR = {
  system: 'messaging.system',
  operationName: 'messaging.operation.name',
  operationType: 'messaging.operation.type',
  destinationName: 'messaging.destination.name',
  partitionId: 'messaging.destination.partition.id',
  consumerGroup: 'messaging.consumer.group.name',
  clientId: 'messaging.client.id',
  batchCount: 'messaging.batch.message_count',
  kafkaOffset: 'messaging.kafka.offset',
  kafkaKey: 'messaging.kafka.message.key',
  kafkaTombstone: 'messaging.kafka.message.tombstone',
  errorType: 'error.type',
  /** rx-kstreams' own: the phase of a failure (`serde`, `processing`, `production`, `unknown`). */
  errorPhase: 'rx_kstreams.error.phase',
  /** rx-kstreams' own: the error handler's action (`Continue`, `Retry`, `Fail`, `SendToDLQ`). */
  action: 'rx_kstreams.error_handler.action',
  /** rx-kstreams' own: the attempt a failure or retry belongs to (1 for the first run). */
  attempt: 'rx_kstreams.attempt',
  /** rx-kstreams' own: the topology node a span or failure belongs to. */
  node: 'rx_kstreams.node.name',
  /** rx-kstreams' own: the input topic a dead-letter copy came from. */
  sourceTopic: 'rx_kstreams.source.topic',
  /** rx-kstreams' own: the kind of that node (`FILTER`, `MAPVALUES`, `SINK`, ...). */
  nodeKind: 'rx_kstreams.node.kind',
} as const;

/** `messaging.system` for Kafka. */
export const KAFKA = 'kafka';

/** `messaging.operation.type` values. */
export const OPERATION_TYPE = {
  send: 'send',
  receive: 'receive',
  process: 'process',
  settle: 'settle',
} as const;

/** `messaging.operation.name` values for Kafka (the conventions' Kafka page). */
export const OPERATION = {
  poll: 'poll',
  process: 'process',
  send: 'send',
  commit: 'commit',
} as const;

/** `error.type` when nothing more specific is known. */
export const OTHER_ERROR = '_OTHER';
