/**
 * Headers a dead-lettered record gains, so it can be traced back and replayed. They are
 * go-streams' headers, with its formats (`x-error-timestamp` is RFC 3339, in UTC), plus
 * `x-error-timestamp-ms`, the same instant in epoch milliseconds.
 */
export const DLQ_HEADERS = {
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  errorTimestamp: 'x-error-timestamp',
  errorTimestampMs: 'x-error-timestamp-ms',
  errorAttempt: 'x-error-attempt',
  errorMessage: 'x-error-message',
  errorNode: 'x-error-node',
  errorPhase: 'x-error-phase',
} as const;
