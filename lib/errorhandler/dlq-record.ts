import type { ProducerRecord } from '../kafka/client';
import { DLQ_HEADERS } from './dlq-headers';
import type { ErrorContext } from './error-context';

/**
 * The dead-letter copy of a failed input: same key, value and headers, plus the
 * {@link DLQ_HEADERS} that say where it came from and why it failed.
 */
export const dlqRecord = (topic: string, ec: ErrorContext, now: number): ProducerRecord => {
  const { record } = ec;
  const text = (s: string): Buffer => Buffer.from(s, 'utf8');
  return {
    topic,
    key: record.key,
    value: record.value,
    timestamp: record.timestamp,
    headers: {
      ...record.headers,
      [DLQ_HEADERS.originalTopic]: text(record.topic),
      [DLQ_HEADERS.originalPartition]: text(String(record.partition)),
      [DLQ_HEADERS.originalOffset]: text(record.offset),
      [DLQ_HEADERS.errorTimestamp]: text(new Date(now).toISOString()),
      [DLQ_HEADERS.errorTimestampMs]: text(String(now)),
      [DLQ_HEADERS.errorAttempt]: text(String(ec.attempt)),
      [DLQ_HEADERS.errorMessage]: text(ec.error.message),
      [DLQ_HEADERS.errorNode]: text(ec.nodeName ?? ''),
      [DLQ_HEADERS.errorPhase]: text(ec.phase),
    },
  };
};
