/** Headers a dead-lettered record gains, so it can be traced back and replayed. */
export const DLQ_HEADERS = {
  originalTopic: 'x-original-topic',
  originalPartition: 'x-original-partition',
  originalOffset: 'x-original-offset',
  errorTimestamp: 'x-error-timestamp',
  errorAttempt: 'x-error-attempt',
  errorMessage: 'x-error-message',
  errorNode: 'x-error-node',
  errorPhase: 'x-error-phase',
} as const;
