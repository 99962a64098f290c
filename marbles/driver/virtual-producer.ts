import type { ProducerRecord } from '../../lib/kafka/client';
import type { SendOutput } from '../../lib/task/record-collector';

/**
 * A settled result whose `then` runs its callback at once: the marble driver's
 * acknowledgements settle in the frame of the send, inside virtual time, where a Promise
 * would settle only after the TestScheduler's run has returned.
 */
class SettledNow implements PromiseLike<unknown> {
  constructor(
    private readonly ok: boolean,
    private readonly value: unknown,
  ) {}

  then<R1 = unknown, R2 = never>(
    onAck?: ((value: unknown) => R1 | PromiseLike<R1>) | null,
    onRefusal?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): PromiseLike<R1 | R2> {
    const next = this.ok ? onAck : onRefusal;
    if (next === undefined || next === null) return this as PromiseLike<R1 | R2>;
    try {
      return new SettledNow(true, next(this.value)) as PromiseLike<R1 | R2>;
    } catch (error) {
      return new SettledNow(false, error) as PromiseLike<R1 | R2>;
    }
  }
}

/** What the driver's client was sent: the record and the node that wrote it. */
export interface SentRecord {
  readonly record: ProducerRecord;
  readonly nodeName: string;
}

/**
 * The marble driver's producer: a send is written (handed to `written`) and acknowledged at
 * once, in virtual time, unless {@link VirtualProducer.refuse} asked for it to be refused:
 * then it is not written and its refusal reaches the task's production error handling, as a
 * broker's would.
 */
export class VirtualProducer {
  private readonly refusals = new Map<string, number>();

  constructor(private readonly written: (sent: SentRecord) => void) {}

  /** Refuses the next `times` sends to `topic`. */
  refuse(topic: string, times: number): void {
    this.refusals.set(topic, (this.refusals.get(topic) ?? 0) + times);
  }

  readonly send: SendOutput = (record, nodeName) => {
    const refusals = this.refusals.get(record.topic) ?? 0;
    if (refusals > 0) {
      this.refusals.set(record.topic, refusals - 1);
      return new SettledNow(false, new Error(`the test refused this send to ${record.topic}`));
    }
    this.written({ record, nodeName });
    return new SettledNow(true, { topic: record.topic, partition: record.partition ?? 0 });
  };
}
