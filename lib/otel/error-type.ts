import { OTHER_ERROR } from './semconv';

/**
 * A failure's `error.type`: low-cardinality, as the conventions ask. A Kafka protocol
 * error's type (`UNKNOWN_TOPIC_OR_PARTITION`), else the error class's name
 * (`ProcessingError`, `SerdeError`, `ProductionError`, `KafkaJSConnectionError`), else `_OTHER`.
 *
 * @example
 * errorType(new SerdeError('bad', { topic: 'orders' })); // 'SerdeError'
 */
export const errorType = (error: unknown): string => {
  if (typeof error !== 'object' || error === null) return OTHER_ERROR;
  const { type, name } = error as { type?: unknown; name?: unknown };
  if (typeof type === 'string' && /^[A-Z][A-Z0-9_]*$/.test(type)) return type;
  if (typeof name === 'string' && name !== '' && name !== 'Error') return name;
  return OTHER_ERROR;
};
