import type { Admin, Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';

/**
 * A stand-in for the kafkajs admin `lag()` asks: end offsets (`high`, `low`) and committed
 * offsets per partition of topic `t`, as a test sets them.
 */
export class FakeKafkajsAdmin {
  readonly ends = new Map<number, { high: number; low: number }>();
  readonly committed = new Map<number, number>();
  connects = 0;
  disconnects = 0;
  failConnect = false;
  readonly asked: string[] = [];

  asKafkajs(): Admin {
    return this as unknown as Admin;
  }

  async connect(): Promise<void> {
    this.connects += 1;
    if (this.failConnect) throw new Error('Connection error: ECONNREFUSED');
  }

  async disconnect(): Promise<void> {
    this.disconnects += 1;
  }

  async fetchTopicOffsets(topic: string) {
    this.asked.push(`end ${topic}`);
    return [...this.ends].map(([partition, o]) => ({
      partition,
      offset: String(o.high),
      high: String(o.high),
      low: String(o.low),
    }));
  }

  async fetchOffsets({ groupId, topics }: { groupId: string; topics: string[] }) {
    this.asked.push(`committed ${groupId} ${topics.join(',')}`);
    return topics.map((topic) => ({
      topic,
      partitions: [...this.ends.keys()].map((partition) => ({
        partition,
        offset: String(this.committed.get(partition) ?? -1),
        metadata: null,
      })),
    }));
  }
}

/** One call the adapter made on the fake kafkajs consumer. */
export type FakeCall =
  | {
      readonly method: 'pause' | 'resume';
      readonly args: { topic: string; partitions?: number[] }[];
    }
  | {
      readonly method: 'seek';
      readonly args: { topic: string; partition: number; offset: string };
    };

/** What a test hands to the adapter's eachBatch, and what the adapter did with it. */
export interface BatchRun {
  readonly done: Promise<void>;
  readonly resolved: string[];
  readonly heartbeats: () => number;
}

/**
 * A stand-in for a kafkajs consumer: no network. A test drives it as kafkajs would:
 * `join` emits GROUP_JOIN, `crash` emits CRASH, `batch` calls the adapter's eachBatch.
 */
export class FakeKafkajsConsumer {
  readonly events = {
    GROUP_JOIN: 'consumer.group_join',
    CRASH: 'consumer.crash',
    HEARTBEAT: 'consumer.heartbeat',
    START_BATCH_PROCESS: 'consumer.start_batch_process',
  };
  readonly calls: FakeCall[] = [];
  readonly commits: { topic: string; partition: number; offset: string }[][] = [];
  commitError: unknown = undefined;
  /** While set, every heartbeat of a batch rejects with it (as kafkajs's does during a rebalance). */
  heartbeatError: unknown = undefined;
  /** Heartbeats of every batch, in order: whether each one failed. */
  readonly heartbeatLog: ('ok' | 'failed')[] = [];
  running = true;
  disconnected = false;
  private readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  private eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;

  asKafkajs(): Consumer {
    return this as unknown as Consumer;
  }

  on(event: string, listener: (event: unknown) => void): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () =>
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== listener),
      );
  }

  async connect(): Promise<void> {}

  async subscribe(): Promise<void> {}

  async run(config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }): Promise<void> {
    this.eachBatch = config.eachBatch;
  }

  pause(args: { topic: string; partitions?: number[] }[]): void {
    this.calls.push({ method: 'pause', args });
  }

  resume(args: { topic: string; partitions?: number[] }[]): void {
    this.calls.push({ method: 'resume', args });
  }

  seek(args: { topic: string; partition: number; offset: string }): void {
    this.calls.push({ method: 'seek', args });
  }

  async commitOffsets(
    offsets: { topic: string; partition: number; offset: string }[],
  ): Promise<void> {
    if (this.commitError !== undefined) throw this.commitError;
    this.commits.push(offsets);
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
    this.running = false;
  }

  /** Emits GROUP_JOIN with this assignment. */
  join(memberAssignment: Record<string, number[]>): void {
    this.emit(this.events.GROUP_JOIN, { payload: { memberAssignment } });
  }

  /** Emits CRASH. */
  crash(error: Error, restart: boolean): void {
    this.emit(this.events.CRASH, { payload: { error, groupId: 'g', restart } });
  }

  /** Emits START_BATCH_PROCESS for a batch kafkajs filtered empty (control records), as it does. */
  filteredBatch(topic: string, partition: number, lastOffset: number): void {
    this.emit(this.events.START_BATCH_PROCESS, {
      payload: { topic, partition, batchSize: 0, lastOffset: String(lastOffset) },
    });
  }

  /** Calls eachBatch with records at these offsets. */
  batch(topic: string, partition: number, offsets: readonly number[], stale = false): BatchRun {
    if (this.eachBatch === undefined) throw new Error('run() was not called');
    const resolved: string[] = [];
    let heartbeats = 0;
    const messages = offsets.map(
      (offset): KafkaMessage =>
        ({
          offset: String(offset),
          key: Buffer.from(`k${offset}`),
          value: Buffer.from(`v${offset}`),
          timestamp: '1000',
          attributes: 0,
          headers: {},
        }) as KafkaMessage,
    );
    const payload = {
      batch: { topic, partition, messages },
      resolveOffset: (offset: string) => resolved.push(offset),
      heartbeat: async () => {
        heartbeats += 1;
        const error = this.heartbeatError;
        this.heartbeatLog.push(error === undefined ? 'ok' : 'failed');
        if (error !== undefined) throw error;
        this.emit(this.events.HEARTBEAT, { payload: { groupId: 'g' } });
      },
      isRunning: () => this.running,
      isStale: () => stale,
    } as unknown as EachBatchPayload;
    return { done: this.eachBatch(payload), resolved, heartbeats: () => heartbeats };
  }

  private emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
}
