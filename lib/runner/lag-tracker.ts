import type { Consumer } from '../kafka/client';
import { type Offset, offsetsBetween } from '../kafka/offset';
import { type TopicPartition, topicPartitionKey } from '../record/stream-record';

/** How often the broker is asked for end offsets while the run goes on. */
const REFRESH_MS = 5000;

/**
 * The consumer lag of each assigned partition (end offset − committed offset), as of the
 * broker's last answer: asked every few seconds, after each commit and after the final one,
 * one question at a time, through the consumer's `lag()` (no fetch involved). A question
 * that fails or hangs leaves the last answer in place. Internal.
 *
 * @example
 * const lags = new LagTracker(() => consumer, () => registry.assigned(), publishStats);
 * lags.lagOf('orders:0', '42'); // 0 once the end offset is 42
 */
export class LagTracker {
  private readonly ends = new Map<string, { end: Offset; position: Offset }>();
  private asking: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: () => Consumer,
    private readonly assigned: () => readonly TopicPartition[],
    private readonly changed: () => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Asks the broker now (unless a question is under way); resolves once answered or given up. */
  refresh(timeoutMs = REFRESH_MS): Promise<void> {
    this.asking ??= this.ask(timeoutMs).finally(() => (this.asking = undefined));
    return this.asking;
  }

  /** The partition's lag: from the committed offset, else from the consumer's position. */
  lagOf(id: string, committed: Offset | undefined): number | undefined {
    const known = this.ends.get(id);
    if (known === undefined) return undefined;
    const behind = offsetsBetween(committed ?? known.position, known.end);
    return behind > 0n ? Number(behind) : 0;
  }

  private async ask(timeoutMs: number): Promise<void> {
    const owned = this.assigned();
    if (owned.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const lags = await Promise.race([this.consumer().lag(owned), timedOut]);
      for (const l of lags ?? []) {
        this.ends.set(topicPartitionKey(l), { end: l.endOffset, position: l.position });
      }
      if (lags !== undefined) this.changed();
    } catch {
      // Not known this time; the next question may do better.
    } finally {
      clearTimeout(timer);
    }
  }
}
