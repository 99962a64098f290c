import type { Logger } from '../../logger/logger';
import { topicPartitionKey, type TopicPartition } from '../../record/stream-record';
import type { RebalanceListener } from '../client';
import { assignmentDiff, fromMemberAssignment } from './assignment-diff';
import { EarlyRevocation } from './early-revocation';
import type { FetchBridge } from './fetch-bridge';
import type { FetchControl } from './fetch-control';
import { rebalanceEvents, type RebalanceEvent } from './rebalance-event';

/** Where the heartbeat that began an {@link EarlyRevocation} was sent. */
export type RevocationSeenIn = 'eachBatch' | 'between fetches';

/**
 * Translates kafkajs's group membership into the port's {@link RebalanceListener} calls.
 * kafkajs speaks the eager protocol without a revoke callback: it reports only each new
 * assignment (`GROUP_JOIN`), so revoked = old − new and assigned = new − old are diffed here
 * and queued as {@link RebalanceEvent}s, which `poll` reports in order (`deliverEvents`). It
 * keeps two assignments apart: what kafkajs owns (`owns`), which decides what is fetched and
 * committed, and what the listener has been told about (`isAnnounced`), which decides what
 * `poll` returns. A revocation the adapter begins itself on a heartbeat answered
 * `REBALANCE_IN_PROGRESS` ({@link EarlyRevocation}) reports every owned partition revoked
 * while the member is still in its generation, so the commits `onRevoked` makes land.
 *
 * @example
 * const translator = new RebalanceTranslator(bridge, control, logger, 'orders');
 * consumer.on(consumer.events.GROUP_JOIN, (e) => translator.onGroupJoin(e.payload.memberAssignment));
 * // in poll:
 * await translator.deliverEvents(listener);
 */
export class RebalanceTranslator {
  /** kafkajs's current assignment (from the last GROUP_JOIN). */
  private owned = new Map<string, TopicPartition>();
  /** The assignment the listener has been told about. */
  private readonly delivered = new Map<string, TopicPartition>();
  private readonly pending: RebalanceEvent[] = [];
  private currentGeneration = 0;
  private currentRevocation: EarlyRevocation | undefined;

  constructor(
    private readonly bridge: FetchBridge,
    private readonly control: FetchControl,
    private readonly logger: Logger,
    private readonly groupId: string,
  ) {}

  /** Bumped by every rejoin and crash: a waiting eachBatch of an older one gives up. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** A revocation begun on a heartbeat of the adapter's own, until kafkajs rejoins. */
  get revocation(): EarlyRevocation | undefined {
    return this.currentRevocation;
  }

  /** True when rebalance events wait for the next `deliverEvents`. */
  get hasPendingEvents(): boolean {
    return this.pending.length > 0;
  }

  /** True while kafkajs's current assignment holds the partition. */
  owns(key: string): boolean {
    return this.owned.has(key);
  }

  /** True when the listener was told about the partition and kafkajs still owns it. */
  isAnnounced(key: string): boolean {
    return this.delivered.has(key) && this.owned.has(key);
  }

  /** The partitions kafkajs's current assignment holds. */
  ownedPartitions(): TopicPartition[] {
    return [...this.owned.values()];
  }

  /** The assignment the listener has been told about. */
  assignment(): TopicPartition[] {
    return [...this.delivered.values()];
  }

  /** Reports pending rebalances, in the order they happened. */
  async deliverEvents(listener: RebalanceListener): Promise<void> {
    for (let event = this.pending.shift(); event !== undefined; event = this.pending.shift()) {
      const { partitions } = event;
      if (event._tag === 'Revoked') {
        try {
          await listener.onRevoked(partitions);
        } finally {
          for (const tp of partitions) this.delivered.delete(topicPartitionKey(tp));
          // A pause belongs to one ownership: a partition assigned again starts unpaused.
          this.bridge.unpause(partitions);
          event.reported?.();
        }
      } else {
        for (const tp of partitions) this.delivered.set(topicPartitionKey(tp), tp);
        await listener.onAssigned(partitions);
      }
    }
  }

  onGroupJoin(memberAssignment: Record<string, number[]>): void {
    const next = fromMemberAssignment(memberAssignment);
    // After a revocation of its own the member rejoined owning nothing: the whole new
    // assignment is assigned, each partition from its committed offset.
    const diff = assignmentDiff(this.endRevocation(), next);
    this.bridge.unpause(diff.revoked);
    for (const tp of diff.revoked) this.bridge.forget(topicPartitionKey(tp));
    // kafkajs restarts a retained partition from the committed offset: move it past what
    // was handed over already (its queued records stay queued).
    for (const tp of diff.retained) {
      const offset = this.bridge.handedOverUpTo(topicPartitionKey(tp));
      if (offset !== undefined) this.control.seek(tp, offset);
    }
    this.owned = new Map(next.map((tp) => [topicPartitionKey(tp), tp]));
    this.currentGeneration += 1;
    this.pending.push(...rebalanceEvents(diff));
    this.logger.debug('kafkajs consumer joined the group', {
      groupId: this.groupId,
      revoked: diff.revoked,
      assigned: diff.assigned,
      retained: diff.retained,
    });
    this.bridge.wakeAll();
  }

  /** kafkajs left the group (it crashed): everything is revoked, and a restart joins anew. */
  onLeftGroup(): void {
    const revoked = this.endRevocation();
    this.owned = new Map();
    this.bridge.reset();
    this.currentGeneration += 1;
    this.pending.push(...rebalanceEvents({ revoked, assigned: [] }));
  }

  /** Reports every owned partition revoked at the next poll, while they are still owned. */
  beginRevocation(cause: unknown, seenIn: RevocationSeenIn): EarlyRevocation {
    const revocation = new EarlyRevocation([...this.owned.values()], cause);
    const { partitions } = revocation;
    this.currentRevocation = revocation;
    // Their records are read again by the next owner (this member too) from the commit
    // onRevoked makes: what was queued or handed over counts for nothing any more.
    for (const key of revocation.keys) this.bridge.forget(key);
    if (partitions.length === 0) revocation.reported();
    else this.pending.push({ _tag: 'Revoked', partitions, reported: () => revocation.reported() });
    this.logger.info('the group is rebalancing: revoking every partition before rejoining', {
      groupId: this.groupId,
      seenIn,
      revoked: partitions,
    });
    this.bridge.wakePoll();
    return revocation;
  }

  /** Wakes an eachBatch waiting for the revocation so it sees that the consumer closes. */
  interruptRevocation(): void {
    this.currentRevocation?.interrupt();
  }

  /**
   * Ends the adapter's own revocation (kafkajs rejoined or crashed) and returns kafkajs's old
   * assignment less the partitions that revocation has reported, or will report, revoked.
   */
  private endRevocation(): TopicPartition[] {
    const revoked = this.currentRevocation?.keys;
    this.currentRevocation?.interrupt();
    this.currentRevocation = undefined;
    return [...this.owned.values()].filter(
      (tp) => revoked === undefined || !revoked.has(topicPartitionKey(tp)),
    );
  }
}
