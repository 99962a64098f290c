import type { Logger } from '../logger/logger';
import type { Offset } from './offset';
import type { Headers, RawRecord, TopicPartition } from '../record/stream-record';

/**
 * The port every runner talks to. The in-memory Kafka and the kafkajs adapter both
 * implement it; runners never see which one they run on.
 *
 * A client is bound to one consumer group. Each application run creates one consumer
 * and one producer from it, connects them, and closes them on shutdown.
 */
export interface KafkaClient {
  readonly groupId: string;
  /** A consumer of the group; `options.coPartitioned` asks for a co-partitioned assignment. */
  createConsumer(options?: ConsumerOptions): Consumer;
  createProducer(): Producer;
  /**
   * The runner's logger, handed over before the runner creates a consumer or producer: a
   * client given no logger of its own writes its log lines there, so an application has one
   * logger. Optional: a client without it keeps its own logging.
   */
  useLogger?(logger: Logger): void;
  /**
   * What state stores need of the cluster: their changelog topics made or checked, and read
   * back to restore a store. Optional: a client without it runs topologies without stores
   * (or with `logging: false` stores) only.
   */
  createInternalTopics?(): InternalTopics;
}

/** How a run's consumer is made. */
export interface ConsumerOptions {
  /**
   * Partition N of every subscribed topic assigned to one member, as the topology needs when
   * its topics share stores (a table and the stream joined with it). Off: the client's own
   * assignor (cooperative on kafkats).
   */
  readonly coPartitioned?: boolean | undefined;
}

/** A topic as the cluster describes it. */
export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  /**
   * Its configuration entries (e.g. `cleanup.policy`) as far as they are known; undefined when
   * the client cannot ask (then nothing about them is checked).
   */
  readonly config: Readonly<Record<string, string>> | undefined;
}

/** A topic to create. */
export interface NewTopic {
  readonly name: string;
  readonly partitions: number;
  readonly config?: Readonly<Record<string, string>> | undefined;
}

/**
 * The topics an application keeps for itself (state stores' changelogs): made when missing,
 * described when present, and read outside the consumer group, one partition at a time.
 *
 * @example
 * const internal = client.createInternalTopics!();
 * const end = await internal.readPartition({ topic: 'app-counts-changelog', partition: 0 }, '0', apply);
 */
export interface InternalTopics {
  /** The topics of these names that exist (missing ones are absent from the map). */
  describe(names: readonly string[]): Promise<ReadonlyMap<string, TopicDescription>>;
  /** Creates the topics; one that exists already is not an error. */
  create(topics: readonly NewTopic[]): Promise<void>;
  /** The offset the next record written to the partition will get. */
  endOffset(partition: TopicPartition): Promise<Offset>;
  /**
   * Reads one partition from offset `from` up to its end offset as of the call, handing
   * over the records in offset order, batch by batch (each handed over before the next is
   * read); resolves with that end offset. Aborting `signal` stops the read (it rejects).
   */
  readPartition(
    partition: TopicPartition,
    from: Offset,
    onRecords: (records: readonly RawRecord[]) => void,
    signal?: AbortSignal,
  ): Promise<Offset>;
  close(): Promise<void>;
}

/**
 * Called from inside {@link Consumer.poll}, and awaited there, as the Java client calls its
 * `ConsumerRebalanceListener`: a revoked partition is still owned (its offsets can be
 * committed) until `onRevoked` returns; an assigned partition yields no record before
 * `onAssigned` returns.
 */
export interface RebalanceListener {
  onAssigned(partitions: readonly TopicPartition[]): void | Promise<void>;
  onRevoked(partitions: readonly TopicPartition[]): void | Promise<void>;
}

/** How one poll behaves. */
export interface PollOptions {
  /** At most this many records in one poll. */
  readonly maxRecords: number;
  /** Wait at most this long for records when none are ready; 0 returns at once. */
  readonly timeoutMs: number;
  /** Aborting it makes a waiting poll return what it has (possibly nothing) at once. */
  readonly signal?: AbortSignal | undefined;
}

/** The offset to commit for a partition: the next offset to read, as a decimal string. */
export interface CommitOffset extends TopicPartition {
  readonly offset: Offset;
}

/** Where one partition stands for a consumer: how far its position is behind the log's end. */
export interface PartitionLag extends TopicPartition {
  /** The offset the next record written to the partition will get (the broker's end offset). */
  readonly endOffset: Offset;
  /** The offset of the next record this consumer's poll will return from the partition. */
  readonly position: Offset;
}

/** The consumer half of the port. */
export interface Consumer {
  connect(): Promise<void>;
  /** Subscribes to topics; partitions arrive through the listener during later polls. */
  subscribe(topics: readonly string[], listener: RebalanceListener): Promise<void>;
  /**
   * Returns the next records of the assigned, unpaused partitions, in offset order per
   * partition, never a record twice while the partition stays assigned. Runs the
   * rebalance listener (awaited) before returning when the assignment changes.
   */
  poll(options: PollOptions): Promise<readonly RawRecord[]>;
  /** Stops fetching these partitions; records already returned are not affected. */
  pause(partitions: readonly TopicPartition[]): void;
  /** Fetches these partitions again, from where their last returned record left off. */
  resume(partitions: readonly TopicPartition[]): void;
  /** Partitions currently assigned to this member. */
  assignment(): readonly TopicPartition[];
  /**
   * Commits offsets of partitions this member owns. Offsets of partitions it does not own
   * are skipped, never written. Rejects with a {@link CommitError} when the group is
   * rebalancing; the caller commits again after the next poll.
   */
  commit(offsets: readonly CommitOffset[]): Promise<void>;
  /**
   * Where these partitions (of those assigned) stand: the broker's end offset and this
   * consumer's position. Asked outside the fetch path, so that it answers while fetching is
   * stuck: the runner's liveness watchdog compares the two. Rejects when the broker cannot
   * be asked.
   */
  lag(partitions: readonly TopicPartition[]): Promise<readonly PartitionLag[]>;
  /** Leaves the group (triggering a rebalance for the others) and releases resources. */
  close(): Promise<void>;
}

/** A record to write. `partition` absent: chosen from the key as the Java client does. */
export interface ProducerRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Headers | undefined;
  readonly partition?: number | undefined;
  readonly timestamp?: number | undefined;
}

/** Where an acknowledged record landed. */
export interface RecordMetadata extends TopicPartition {
  readonly offset: Offset;
}

/** How far a producer has got: records handed to it, and how many of them settled. */
export interface ProducerProgress {
  /** Records handed to `send()` so far. */
  readonly sent: number;
  /** Of those, the ones acknowledged or failed. */
  readonly settled: number;
}

/** The producer half of the port. */
export interface Producer {
  connect(): Promise<void>;
  /**
   * Hands a record to the producer. Records sent in order to one partition are written
   * in that order. Resolves when the broker acknowledges it; the producer may batch
   * many records into one request.
   */
  send(record: ProducerRecord): Promise<RecordMetadata>;
  /** Resolves when every record sent so far is acknowledged or failed. */
  flush(): Promise<void>;
  /** Counts of sends so far (two counters: the runner's liveness watchdog reads them). */
  progress(): ProducerProgress;
  close(): Promise<void>;
}

/** A commit the group refused; `rebalanceInProgress` means "commit again after the rejoin". */
export class CommitError extends Error {
  override readonly name = 'CommitError';
  constructor(
    message: string,
    readonly rebalanceInProgress: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
