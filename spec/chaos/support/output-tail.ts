import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { idOf } from './audit';
import type { AckedInput } from './sequence-producer';

/**
 * Reads a topic as it is written, with a plain kafkajs consumer connected straight to the
 * broker, and notes when each id first arrived: what recovery times are measured with.
 */
export class OutputTail {
  private readonly firstSeen = new Map<string, number>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: readonly string[], topic: string): Promise<OutputTail> {
    const kafka = new Kafka({
      clientId: 'chaos-output-tail',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({
      groupId: `chaos-tail-${randomUUID().slice(0, 8)}`,
      maxWaitTimeInMs: 100,
      // Keeps reading across broker restarts: kafkajs restarts a crashed consumer by itself.
      retry: { retries: 10 },
    });
    const tail = new OutputTail(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = idOf({ value: message.value } as Parameters<typeof idOf>[0]);
        if (id !== undefined && !tail.firstSeen.has(id)) tail.firstSeen.set(id, Date.now());
      },
    });
    return tail;
  }

  /** Distinct ids seen so far. */
  get seen(): number {
    return this.firstSeen.size;
  }

  has(id: string): boolean {
    return this.firstSeen.has(id);
  }

  /**
   * Milliseconds from `healedAt` to the first output of an input acknowledged at or after it:
   * the app fetched, processed and wrote again. Undefined while there is none.
   */
  recoveryAfter(healedAt: number, acked: readonly AckedInput[]): number | undefined {
    let first: number | undefined;
    for (const { id, ackedAt } of acked) {
      if (ackedAt < healedAt) continue;
      const seenAt = this.firstSeen.get(id);
      if (seenAt !== undefined && (first === undefined || seenAt < first)) first = seenAt;
    }
    return first === undefined ? undefined : first - healedAt;
  }

  /** Waits until `check` holds, or gives up after `timeoutMs` (false). */
  async until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return true;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
