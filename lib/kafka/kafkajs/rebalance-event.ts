import type { TopicPartition } from '../../record/stream-record';
import type { AssignmentDiff } from './assignment-diff';

/**
 * One change of a member's assignment, waiting to be reported through the port's
 * `RebalanceListener` during the next `poll()`.
 *
 * @example
 * const event: RebalanceEvent = { _tag: 'Revoked', partitions: [{ topic: 't', partition: 0 }] };
 */
export type RebalanceEvent =
  | {
      readonly _tag: 'Revoked';
      readonly partitions: readonly TopicPartition[];
      /** Called once `onRevoked` has returned (or thrown): eachBatch may let kafkajs rejoin. */
      readonly reported?: () => void;
    }
  | { readonly _tag: 'Assigned'; readonly partitions: readonly TopicPartition[] };

/**
 * The events one rejoin produces: revoked first, then assigned; none for an empty side.
 *
 * @example
 * rebalanceEvents(assignmentDiff(before, after)); // [{ _tag: 'Revoked', ... }, { _tag: 'Assigned', ... }]
 */
export const rebalanceEvents = (
  diff: Pick<AssignmentDiff, 'revoked' | 'assigned'>,
): RebalanceEvent[] => [
  ...(diff.revoked.length > 0 ? [{ _tag: 'Revoked' as const, partitions: diff.revoked }] : []),
  ...(diff.assigned.length > 0 ? [{ _tag: 'Assigned' as const, partitions: diff.assigned }] : []),
];
