/** Protocol error types that mean "the group moved on: commit again after the rejoin". */
export const REBALANCE_ERROR_TYPES: readonly string[] = [
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
  'COORDINATOR_NOT_AVAILABLE',
];

/**
 * True when a kafkajs error, or any error in its `cause` chain (kafkajs wraps protocol
 * errors in retry errors), is a group-membership error: the commit can succeed after the
 * member has rejoined.
 *
 * @example
 * isRebalanceError(new KafkaJSNonRetriableError(e, { cause: protocolError })); // true for REBALANCE_IN_PROGRESS
 */
export const isRebalanceError = (error: unknown): boolean => {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { type, cause } = current as { type?: unknown; cause?: unknown };
    if (typeof type === 'string' && REBALANCE_ERROR_TYPES.includes(type)) return true;
    current = cause;
  }
  return false;
};
