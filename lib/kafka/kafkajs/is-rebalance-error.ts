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
export const isRebalanceError = (error: unknown): boolean =>
  hasErrorType(error, REBALANCE_ERROR_TYPES);

/**
 * True when a kafkajs error, or any error in its `cause` chain, is `REBALANCE_IN_PROGRESS`:
 * the group is preparing a rebalance and this member is still in its current generation, so
 * the coordinator still accepts its commits until it rejoins (a heartbeat answered so is how
 * an eager-protocol member learns of a rebalance).
 *
 * @example
 * try { await heartbeat(); } catch (e) { if (isRebalanceInProgress(e)) revokeBeforeRejoining(); }
 */
export const isRebalanceInProgress = (error: unknown): boolean =>
  hasErrorType(error, ['REBALANCE_IN_PROGRESS']);

const hasErrorType = (error: unknown, types: readonly string[]): boolean => {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    const { type, cause } = current as { type?: unknown; cause?: unknown };
    if (typeof type === 'string' && types.includes(type)) return true;
    current = cause;
  }
  return false;
};
