import type { Consumer } from '../kafka/client';
import { type Offset, offsetsBetween } from '../kafka/offset';
import { type TopicPartition, topicPartitionKey } from '../record/stream-record';

/** How often the broker is asked for end offsets while the run goes on. */
const REFRESH_MS = 5000;
/** After a commit, asked again only if the last question is at least this old. */
const MIN_GAP_MS = 1000;

/**
 * The consumer lag of each assigned partition (end offset − committed offset), as of the
 * broker's last answer: asked every 5 s, after a commit (at most once a second) and after the
 * final one, one question at a time, through the consumer's `lag()` (no fetch involved). A
 * question that fails or hangs leaves the last answer in place. Internal.
 *
 * @example
 * const lags = new LagTracker(() => consumer, () => registry.assigned(), publishStats);
 * lags.lagOf('orders:0', '42'); // 0 once the end offset is 42
 */
export class LagTracker {
  private readonly ends = new Map<string, { end: Offset; position: Offset }>();
  /** The question under way: one at a time, until the consumer answers or gives up. */
  private asking: Promise<void> | undefined;
  private askedAt = -Infinity;
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

  /** After a commit: asks again unless it asked less than a second ago. */
  committed(): void {
    if (performance.now() - this.askedAt >= MIN_GAP_MS) void this.refresh();
  }

  /**
   * Asks the broker now, unless a question is under way; resolves once answered, or after
   * `timeoutMs` (the question then goes on, and no other starts before it ends).
   */
  refresh(timeoutMs = REFRESH_MS): Promise<void> {
    this.asking ??= this.ask().finally(() => (this.asking = undefined));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    return Promise.race([this.asking, timedOut]).finally(() => clearTimeout(timer));
  }

  /** The partition's lag: from the committed offset, else from the consumer's position. */
  lagOf(id: string, committed: Offset | undefined): number | undefined {
    const known = this.ends.get(id);
    if (known === undefined) return undefined;
    const behind = offsetsBetween(committed ?? known.position, known.end);
    return behind > 0n ? Number(behind) : 0;
  }

  private async ask(): Promise<void> {
    const owned = this.assigned();
    if (owned.length === 0) return;
    this.askedAt = performance.now();
    try {
      for (const l of await this.consumer().lag(owned)) {
        this.ends.set(topicPartitionKey(l), { end: l.endOffset, position: l.position });
      }
      this.changed();
    } catch {
      // Not known this time; the next question may do better.
    }
  }
}
