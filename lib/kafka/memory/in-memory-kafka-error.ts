/**
 * What went wrong, named after the Kafka error it stands for where there is one.
 *
 * @example
 * const code: InMemoryKafkaErrorCode = 'UNKNOWN_TOPIC_OR_PARTITION';
 */
export type InMemoryKafkaErrorCode =
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'INVALID_TOPIC'
  | 'TOPIC_ALREADY_EXISTS'
  | 'INVALID_RECORD'
  | 'INVALID_ARGUMENT'
  | 'INCONSISTENT_SUBSCRIPTION'
  | 'ILLEGAL_STATE';

/**
 * A call the in-memory Kafka refuses: an unknown topic, a bad record, a consumer used
 * before `connect()` or after `close()`. `code` says which.
 *
 * @example
 * try {
 *   kafka.produce('orders', [{ value: 'x', partition: 9 }]);
 * } catch (e) {
 *   if (e instanceof InMemoryKafkaError && e.code === 'UNKNOWN_TOPIC_OR_PARTITION') ...
 * }
 */
export class InMemoryKafkaError extends Error {
  override readonly name = 'InMemoryKafkaError';
  constructor(
    readonly code: InMemoryKafkaErrorCode,
    message: string,
  ) {
    super(message);
  }
}
