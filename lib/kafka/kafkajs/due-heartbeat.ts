/**
 * Fires once kafkajs's next heartbeat falls due: kafkajs throttles heartbeats to one per
 * `heartbeatInterval` after the last successful one, and sends one only where its fetch loop
 * asks for it (after a batch, after an empty fetch). `beat()` on every successful heartbeat
 * (kafkajs's `HEARTBEAT` event) arms the timer; when it fires, `onDue` gets the heartbeat
 * function captured from the latest `eachBatch` payload, which stays valid while the kafkajs
 * runner lives (`stop()` forgets it when the consumer stops or crashes).
 *
 * The kafkajs adapter uses it to heartbeat while kafkajs waits on a fetch, so that a rebalance
 * shows up before kafkajs's own heartbeat after an empty fetch rejoins at once.
 *
 * @example
 * const due = new DueHeartbeat(3000, (heartbeat) => void heartbeat().catch(onHeartbeatError));
 * consumer.on(consumer.events.HEARTBEAT, () => due.beat());
 * // in eachBatch:
 * due.capture(payload.heartbeat);
 */
export class DueHeartbeat {
  /** kafkajs stamps its throttle just after the `HEARTBEAT` event: a few ms of slack. */
  static readonly SLACK_MS = 5;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: (() => Promise<void>) | undefined;

  /**
   * @param intervalMs kafkajs's `heartbeatInterval`
   * @param onDue called when the next heartbeat is due, with the captured heartbeat function
   */
  constructor(
    private readonly intervalMs: number,
    private readonly onDue: (heartbeat: () => Promise<void>) => void,
  ) {}

  /** Keeps the heartbeat function of an `eachBatch` payload. */
  capture(heartbeat: () => Promise<void>): void {
    this.heartbeat = heartbeat;
  }

  /** A heartbeat succeeded: the next one is due `intervalMs` from now. */
  beat(): void {
    this.clear();
    if (this.heartbeat === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.heartbeat !== undefined) this.onDue(this.heartbeat);
    }, this.intervalMs + DueHeartbeat.SLACK_MS);
    this.timer.unref?.();
  }

  /** Disarms the timer and forgets the heartbeat function (the kafkajs runner is gone). */
  stop(): void {
    this.clear();
    this.heartbeat = undefined;
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
