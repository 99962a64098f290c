import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { AckedInput } from './sequence-producer';

/**
 * Reads a topic as it is written, with a plain kafkajs consumer connected straight to the
 * broker, and notes when each id first arrived: what recovery times are measured with.
 */
export class OutputTail {
  private readonly firstSeen = new Map<string, number>();
  /** When the first output written by each app process (its `by`) arrived. */
  private readonly firstBy = new Map<string, number>();
  /** The highest running count seen of each key (`count` mode outputs). */
  private readonly counts = new Map<string, number>();

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
        const text = message.value?.toString('utf8') ?? '';
        const id = /"id":"([^"]+)"/.exec(text)?.[1];
        const by = /"by":"([^"]+)"/.exec(text)?.[1];
        const now = Date.now();
        const counted = /"key":"([^"]+)".*"count":(\d+)/.exec(text);
        if (counted !== null) {
          const [, key, n] = counted;
          tail.counts.set(key!, Math.max(tail.counts.get(key!) ?? 0, Number(n)));
        }
        if (id !== undefined && !tail.firstSeen.has(id)) tail.firstSeen.set(id, now);
        if (by !== undefined && !tail.firstBy.has(by)) tail.firstBy.set(by, now);
      },
    });
    return tail;
  }

  /** The highest running count seen of `key`, in `count` mode (0 before any). */
  highestCount(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Distinct ids seen so far. */
  get seen(): number {
    return this.firstSeen.size;
  }

  has(id: string): boolean {
    return this.firstSeen.has(id);
  }

  /** When the first output the named app process wrote arrived, if one has. */
  firstOutputBy(app: string): number | undefined {
    return this.firstBy.get(app);
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
