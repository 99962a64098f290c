import type { KafkajsClass, KafkajsConsumerGroup } from './kafkajs-internals';

const FIXED = Symbol.for('rx-kstreams/kafkajs-rejoin-fix');

/**
 * Makes a kafkajs 2.2.4 consumer that restarts after a crash rejoin its group as the member
 * it was, as the Java client does, instead of as a new one.
 *
 * On a crash (a broker outage, a network cut) kafkajs tries to leave the group, which fails
 * while the broker is out of reach, then restarts with a new `ConsumerGroup` whose member id
 * is empty. The group still holds the old member until its session expires, and a rebalance
 * waits for it: the restarted consumer got its partitions back `sessionTimeout` after its
 * last heartbeat (18–21 s after a 10 s cut with kafkajs's 30 s default). Rejoining with the
 * old id, the coordinator knows the member and answers at once. A member the group has
 * dropped meanwhile is answered `UNKNOWN_MEMBER_ID`, on which kafkajs clears the id and
 * joins as a new member, as before.
 *
 * The id is kept per kafkajs consumer (keyed by its cluster, one per `kafka.consumer()`),
 * from each successful join until a successful `leave()`.
 *
 * Applies once per class; returns false when it was applied already.
 *
 * @example
 * fixRejoin(loadKafkajsInternals().ConsumerGroup); // true
 */
export const fixRejoin = (ConsumerGroup: KafkajsClass<KafkajsConsumerGroup>): boolean => {
  const proto = ConsumerGroup.prototype as KafkajsConsumerGroup & { [FIXED]?: true };
  if (proto[FIXED] === true) return false;
  const joinAndSync = proto.joinAndSync;
  const leave = proto.leave;
  const lastMemberId = new WeakMap<object, string>();

  proto.joinAndSync = async function (this: KafkajsConsumerGroup): Promise<void> {
    if (this.memberId === null || this.memberId === '') {
      this.memberId = lastMemberId.get(this.cluster) ?? null;
    }
    await joinAndSync.call(this);
    if (this.memberId !== null && this.memberId !== '') {
      lastMemberId.set(this.cluster, this.memberId);
    }
  };

  proto.leave = async function (this: KafkajsConsumerGroup): Promise<void> {
    await leave.call(this);
    lastMemberId.delete(this.cluster);
  };

  Object.defineProperty(proto, FIXED, { value: true });
  return true;
};
