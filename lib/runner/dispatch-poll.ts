import { topicPartitionKey, type RawRecord, type TopicPartition } from '../record/stream-record';

/** One assigned partition as a poll meets it. */
export interface PartitionIntake extends TopicPartition {
  /** Polled records its full buffer refused before, oldest first. */
  readonly pending: readonly RawRecord[];
  /** Places free in its bounded buffer: `channelBufferSize` less its `queueDepth`. */
  readonly free: number;
  /** Whether it is paused at the consumer now. */
  readonly paused: boolean;
}

/** What a poll's dispatch decided: what runs now, what waits, and what to pause or resume. */
export interface Dispatch {
  /** Records to admit into their partitions' buffers, in order (per partition, offset order). */
  readonly admitted: readonly RawRecord[];
  /** Every assigned partition's pending queue after the dispatch, by partition id. */
  readonly pending: ReadonlyMap<string, readonly RawRecord[]>;
  /** Partitions that now have records waiting and are not paused yet. */
  readonly pause: readonly TopicPartition[];
  /** Paused partitions whose records waiting are all admitted. */
  readonly resume: readonly TopicPartition[];
}

/**
 * Dispatches a poll into the assigned partitions (`partitions`, by id): each partition's
 * pending records first, then the batch's, as long as its buffer has room; the rest waits in
 * its pending queue, and a partition with records waiting is paused, one with none resumed.
 * A record of a partition not assigned (revoked while the poll was under way) is dropped.
 * Pure: nothing is admitted, paused or resumed here; the runner applies the result.
 *
 * @example
 * const { admitted, pending, pause, resume } = dispatchPoll(batch, intakeByPartition);
 */
export const dispatchPoll = (
  batch: readonly RawRecord[],
  partitions: ReadonlyMap<string, PartitionIntake>,
): Dispatch => {
  const admitted: RawRecord[] = [];
  const waiting = new Map<string, RawRecord[]>();
  const room = new Map<string, number>();
  for (const [id, p] of partitions) {
    let free = p.free;
    let taken = 0;
    while (taken < p.pending.length && free > 0) {
      admitted.push(p.pending[taken++]!);
      free -= 1;
    }
    waiting.set(id, p.pending.slice(taken));
    room.set(id, free);
  }
  for (const record of batch) {
    const id = topicPartitionKey(record);
    const queue = waiting.get(id);
    if (queue === undefined) continue;
    const free = room.get(id)!;
    if (queue.length === 0 && free > 0) {
      admitted.push(record);
      room.set(id, free - 1);
    } else queue.push(record);
  }
  const pause: TopicPartition[] = [];
  const resume: TopicPartition[] = [];
  for (const [id, p] of partitions) {
    const waits = waiting.get(id)!.length > 0;
    if (waits && !p.paused) pause.push({ topic: p.topic, partition: p.partition });
    else if (!waits && p.paused) resume.push({ topic: p.topic, partition: p.partition });
  }
  return { admitted, pending: waiting, pause, resume };
};
