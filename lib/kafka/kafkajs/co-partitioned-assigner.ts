import { AssignerProtocol, type PartitionAssigner } from 'kafkajs';
import { coPartitionedAssign } from '../co-partitioned-assign';

const NAME = 'RxKstreamsCoPartitioned';

/**
 * A kafkajs assigner that keeps partition N of every subscribed topic on one member
 * ({@link coPartitionedAssign}, members in member-id order): what a topology whose topics
 * share stores (a join) needs, where kafkajs' round robin would split them. Every member of
 * the group must use it: a member proposing only another assigner cannot join with it.
 *
 * @example
 * kafka.consumer({ groupId: 'joins', partitionAssigners: [coPartitionedAssigner] });
 */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: NAME,
  version: 0,
  assign: async ({ members, topics }) => {
    const partitions = topics.flatMap((topic) =>
      cluster.findTopicPartitionMetadata(topic).map((p) => ({ topic, partition: p.partitionId })),
    );
    const ids = members.map((member) => member.memberId).sort();
    const assigned = coPartitionedAssign(ids, partitions);
    return members.map(({ memberId }) => {
      const assignment: Record<string, number[]> = {};
      for (const tp of assigned.get(memberId) ?? [])
        (assignment[tp.topic] ??= []).push(tp.partition);
      return {
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment,
          userData: Buffer.alloc(0),
        }),
      };
    });
  },
  protocol: ({ topics }) => ({
    name: NAME,
    metadata: AssignerProtocol.MemberMetadata.encode({
      version: 0,
      topics,
      userData: Buffer.alloc(0),
    }),
  }),
});
