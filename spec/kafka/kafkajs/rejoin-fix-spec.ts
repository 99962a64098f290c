import { fixRejoin } from '../../../lib/kafka/kafkajs/rejoin-fix';

/** What the coordinator knows: member ids it holds, and the id it gives the next new member. */
interface FakeCoordinator {
  readonly members: Set<string>;
  next: number;
}

/**
 * The part of kafkajs's ConsumerGroup the fix wraps: `joinAndSync` joins with `memberId`
 * (a known id rejoins, an unknown one is refused and kafkajs joins anew, '' or null makes a
 * new member), `leave` forgets the member (or fails, as during an outage).
 */
class FakeConsumerGroup {
  memberId: string | null = null;
  readonly joinedWith: (string | null)[] = [];
  leaveFails = false;

  constructor(
    readonly cluster: object,
    private readonly coordinator: FakeCoordinator,
  ) {}

  async joinAndSync(): Promise<void> {
    this.joinedWith.push(this.memberId);
    if (
      this.memberId !== null &&
      this.memberId !== '' &&
      this.coordinator.members.has(this.memberId)
    ) {
      return;
    }
    // UNKNOWN_MEMBER_ID, or a new member: kafkajs clears the id and joins as a new member.
    this.memberId = `member-${(this.coordinator.next += 1)}`;
    this.coordinator.members.add(this.memberId);
  }

  async leave(): Promise<void> {
    if (this.leaveFails) throw new Error('Connection error: connect ECONNREFUSED');
    if (this.memberId !== null) this.coordinator.members.delete(this.memberId);
    this.memberId = null;
  }
}

describe('fixRejoin (kafkajs 2.2.4 restart after a crash)', () => {
  let coordinator: FakeCoordinator;
  beforeAll(() => {
    expect(fixRejoin(FakeConsumerGroup)).toBe(true);
  });
  beforeEach(() => {
    coordinator = { members: new Set(), next: 0 };
  });

  it('should rejoin as the same member when the crashed group could not leave', async () => {
    const cluster = {};
    const crashed = new FakeConsumerGroup(cluster, coordinator);
    await crashed.joinAndSync();
    crashed.leaveFails = true;
    await expect(crashed.leave()).rejects.toThrow(/ECONNREFUSED/);

    const restarted = new FakeConsumerGroup(cluster, coordinator);
    await restarted.joinAndSync();
    expect(restarted.joinedWith).toEqual(['member-1']);
    expect(restarted.memberId).toBe('member-1');
    expect([...coordinator.members]).toEqual(['member-1']);
  });

  it('should join as a new member after a leave that succeeded', async () => {
    const cluster = {};
    const first = new FakeConsumerGroup(cluster, coordinator);
    await first.joinAndSync();
    await first.leave();

    const next = new FakeConsumerGroup(cluster, coordinator);
    await next.joinAndSync();
    expect(next.joinedWith).toEqual([null]);
    expect(next.memberId).toBe('member-2');
  });

  it('should join as a new member, and remember that one, when the group dropped the old id meanwhile', async () => {
    const cluster = {};
    const crashed = new FakeConsumerGroup(cluster, coordinator);
    await crashed.joinAndSync();
    coordinator.members.clear(); // its session expired

    const restarted = new FakeConsumerGroup(cluster, coordinator);
    await restarted.joinAndSync();
    expect(restarted.joinedWith).toEqual(['member-1']);
    expect(restarted.memberId).toBe('member-2');
    const again = new FakeConsumerGroup(cluster, coordinator);
    await again.joinAndSync();
    expect(again.joinedWith).toEqual(['member-2']);
  });

  it("should never give one consumer's member id to another consumer", async () => {
    const crashed = new FakeConsumerGroup({}, coordinator);
    await crashed.joinAndSync();
    const other = new FakeConsumerGroup({}, coordinator);
    await other.joinAndSync();
    expect(other.joinedWith).toEqual([null]);
    expect(other.memberId).toBe('member-2');
  });

  it('should keep the id of a group that rejoins during a rebalance', async () => {
    const group = new FakeConsumerGroup({}, coordinator);
    await group.joinAndSync();
    await group.joinAndSync();
    expect(group.joinedWith).toEqual([null, 'member-1']);
  });

  it('should apply once', () => {
    const { joinAndSync, leave } = FakeConsumerGroup.prototype;
    expect(fixRejoin(FakeConsumerGroup)).toBe(false);
    expect(FakeConsumerGroup.prototype.joinAndSync).toBe(joinAndSync);
    expect(FakeConsumerGroup.prototype.leave).toBe(leave);
  });
});
