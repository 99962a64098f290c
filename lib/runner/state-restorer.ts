import { ConfigError } from '../errors/config-error';
import { messageOf } from '../errors/message-of';
import type { InternalTopics, KafkaClient, TopicDescription } from '../kafka/client';
import type { Logger } from '../logger/logger';
import { changelogTopic, type StoreDefinition } from '../state/stores';
import type { TaskStore } from '../state/task-store';
import type { StreamTask } from '../task/stream-task';
import type { RunnableTopology } from '../topology/topology-task';

/** What compaction needs on a changelog: only a key's latest value is kept for good. */
export const CHANGELOG_CONFIG: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'compact',
});

/** Reads of one changelog partition before a restore fails the run, and the backoff step. */
const RESTORE_ATTEMPTS = 5;
const RESTORE_BACKOFF_MS = 200;

/** How far a task's restore has come: what its stats show. */
export interface RestoreProgress {
  records: number;
  done: boolean;
}

/** A restore's progress, after each batch of changelog records applied. */
export type RestoreListener = () => void;

/** The topic's cleanup policy: Kafka's default (`delete`) unless it is set. */
const cleanupPolicy = (topic: TopicDescription): string =>
  topic.config?.['cleanup.policy'] ?? 'delete';

const isCompacted = (topic: TopicDescription): boolean =>
  cleanupPolicy(topic)
    .split(',')
    .some((p) => p.trim() === 'compact');

/**
 * The state stores' changelogs, for a run: made (compacted, with as many partitions as the
 * source topics) or checked when the run starts, and read back into a task's stores when its
 * partition is assigned, before its first record.
 *
 * @example
 * const restorer = new StateRestorer(client, topology, applicationId, logger);
 * await restorer.prepare();
 * await restorer.restore(task, () => publishStats());
 */
export class StateRestorer {
  private internal: InternalTopics | undefined;
  private readonly stores: readonly StoreDefinition<unknown, unknown>[];
  private readonly logged: readonly StoreDefinition<unknown, unknown>[];
  private readonly sourceTopics: readonly string[];
  private readonly repartitionTopics: readonly string[];
  private readonly coPartitioned: readonly (readonly string[])[];
  private readonly progress = new Map<StreamTask, RestoreProgress>();
  /** The source topics' partition count (the most of any), once known: keys are placed by it. */
  partitions: number | undefined;

  constructor(
    private readonly client: KafkaClient,
    topology: RunnableTopology,
    private readonly applicationId: string,
    private readonly logger: Logger,
  ) {
    this.stores = topology.stateStores ?? [];
    this.logged = this.stores.filter((store) => store.logging);
    this.repartitionTopics = topology.repartitionTopics ?? [];
    this.coPartitioned = topology.coPartitionedTopics ?? [];
    this.sourceTopics = topology.sourceTopics.filter((t) => !this.repartitionTopics.includes(t));
  }

  /** Whether the topology has stores with changelogs. */
  get active(): boolean {
    return this.logged.length > 0;
  }

  /**
   * Makes the internal topics that are missing (the repartition topics, with as many
   * partitions as the source topics; the changelogs, compacted, with as many as those) and
   * checks the changelogs that are there.
   */
  async prepare(): Promise<void> {
    const repartitions = this.repartitionTopics;
    if (this.stores.length === 0 && repartitions.length === 0) return;
    if (this.client.createInternalTopics === undefined) {
      if (!this.active && repartitions.length === 0) return; // nothing to make or read
      const what = [
        ...(this.active
          ? [
              `the state stores ${this.logged.map((store) => store.name).join(', ')} have changelogs`,
            ]
          : []),
        ...(repartitions.length > 0
          ? [`the repartition topics ${repartitions.join(', ')} are internal topics`]
          : []),
      ].join(' and ');
      throw new ConfigError(
        'client',
        `${what}, which this client cannot make or read back; run them on a client that can (kafkajsClient, kafkatsClient or the in-memory Kafka)${repartitions.length === 0 ? ', or declare the stores with logging: false' : ''}`,
      );
    }
    this.internal ??= this.client.createInternalTopics();
    const changelogs = this.logged.map((store) => changelogTopic(this.applicationId, store.name));
    const described = new Map(
      await this.internal.describe([...this.sourceTopics, ...repartitions, ...changelogs]),
    );
    const partitionsOf = (topics: readonly string[]): number =>
      Math.max(1, ...topics.map((topic) => described.get(topic)?.partitions ?? 0));
    const sourcePartitions = partitionsOf(this.sourceTopics);
    const newRepartitions = repartitions.filter((name) => !described.has(name));
    if (newRepartitions.length > 0) {
      await this.internal.create(
        newRepartitions.map((name) => ({ name, partitions: sourcePartitions, config: {} })),
      );
      newRepartitions.forEach((name) =>
        described.set(name, { name, partitions: sourcePartitions, config: {} }),
      );
      this.logger.info('created repartition topics', {
        topics: newRepartitions,
        partitions: sourcePartitions,
      });
    }
    this.checkCoPartitioned(described);
    const partitions = partitionsOf([...this.sourceTopics, ...repartitions]);
    this.partitions = partitions;
    await this.prepareChangelogs(changelogs, described, partitions);
  }

  /** Topics whose tasks share stores (a join) must have as many partitions as each other. */
  private checkCoPartitioned(described: ReadonlyMap<string, TopicDescription>): void {
    for (const topics of this.coPartitioned) {
      const counts = topics.map((topic) => described.get(topic)?.partitions);
      if (counts.every((n) => n === counts[0])) continue;
      const each = topics.map((topic, i) => `${topic} (${counts[i] ?? 'missing'})`).join(', ');
      throw new ConfigError(
        'topics',
        `the topics ${each} share state stores (a join), so partition N of each must hold the same keys: they need as many partitions as each other; repartition one (groupBy, or write it again to a topic with the other's partitions)`,
      );
    }
  }

  private async prepareChangelogs(
    changelogs: readonly string[],
    described: ReadonlyMap<string, TopicDescription>,
    partitions: number,
  ): Promise<void> {
    if (this.internal === undefined) return;
    const missing = changelogs.filter((name) => !described.has(name));
    for (const name of changelogs) {
      const topic = described.get(name);
      if (topic === undefined) continue;
      if (topic.partitions < partitions) {
        throw new ConfigError(
          'changelog',
          `topic ${name} has ${topic.partitions} partitions, fewer than the ${partitions} of the source topics: a store's changelog needs one partition per source partition; delete it (its state is rebuilt from the input only by reprocessing) or add partitions`,
        );
      }
      if (topic.config === undefined) {
        this.logger.debug('the client cannot read topic configs: compaction not checked', {
          topic: name,
        });
      } else if (!isCompacted(topic)) {
        throw new ConfigError(
          'changelog',
          `topic ${name} has cleanup.policy=${cleanupPolicy(topic)}: a changelog must be compacted, or old values are deleted and a restore loses them; set cleanup.policy=compact`,
        );
      }
    }
    if (missing.length > 0) {
      await this.internal.create(
        missing.map((name) => ({ name, partitions, config: CHANGELOG_CONFIG })),
      );
      this.logger.info('created changelog topics', { topics: missing, partitions });
    }
  }

  /** Fills a new task's stores from their changelogs; `changed` hears of each batch applied. */
  async restore(task: StreamTask, changed: RestoreListener): Promise<void> {
    for (const store of task.stores) await store.open();
    const stores = task.stores.filter((store) => store.changelog !== undefined);
    if (stores.length === 0 || this.internal === undefined) return;
    const progress: RestoreProgress = { records: 0, done: false };
    this.progress.set(task, progress);
    const started = Date.now();
    for (const store of stores) {
      // A store the tasks of a partition number share is restored by the first of them.
      await store.restoreOnce(async () => {
        await this.restoreStore(task, store, progress, changed);
        // From now on it changes: a crash leaves no checkpoint, and the next owner starts over.
        await store.setCheckpoint(undefined);
      });
    }
    progress.done = true;
    this.logger.info('restored state stores', {
      partition: task.info.id,
      stores: stores.map((store) => store.name),
      records: progress.records,
      ms: Date.now() - started,
    });
    changed();
  }

  /**
   * Records each cleanly closing task's checkpoints: for a persistent store with a changelog,
   * the changelog's end offset, now that every write of the task is acknowledged. A task with
   * records still running (a drain that ran out of time) gets none. A failure is logged: the
   * next owner then restores from the changelog's start.
   */
  async checkpoint(tasks: readonly StreamTask[]): Promise<void> {
    const internal = this.internal;
    if (internal === undefined) return;
    // A shared store is checkpointed when every task holding it closes cleanly here.
    const closing = new Map<TaskStore, number>();
    for (const task of tasks) {
      if (task.running > 0) continue;
      for (const store of task.stores) closing.set(store, (closing.get(store) ?? 0) + 1);
    }
    const done = new Set<TaskStore>();
    for (const task of tasks) {
      if (task.running > 0) continue;
      for (const store of task.stores) {
        if (!store.persistent || store.changelog === undefined || done.has(store)) continue;
        if ((closing.get(store) ?? 0) < store.holders) continue;
        done.add(store);
        try {
          await store.setCheckpoint(await internal.endOffset(store.changelog));
        } catch (error) {
          this.logger.warn('could not write a store checkpoint; the next owner restores it all', {
            partition: task.info.id,
            store: store.name,
            error: messageOf(error),
          });
        }
      }
    }
  }

  /** The task's restore, for its stats; undefined without logged stores. */
  progressOf(task: StreamTask): RestoreProgress | undefined {
    return this.progress.get(task);
  }

  /** The task left: its progress goes. */
  forget(task: StreamTask): void {
    this.progress.delete(task);
  }

  async close(): Promise<void> {
    const internal = this.internal;
    this.internal = undefined;
    await internal?.close();
  }

  private async restoreStore(
    task: StreamTask,
    store: TaskStore,
    progress: RestoreProgress,
    changed: RestoreListener,
  ): Promise<void> {
    const changelog = store.changelog!;
    this.logger.debug('restoring a state store', {
      partition: task.info.id,
      store: store.name,
      changelog: `${changelog.topic}:${changelog.partition}`,
    });
    // A persistent store's checkpoint, else the changelog's start (its bytes cleared).
    const from = store.restoreFrom();
    // A changelog just made may have no leader the client knows of yet (kafkajs answers
    // NOT_LEADER_FOR_PARTITION): the read is tried again. Applying the changelog again from
    // the same offset is harmless: the same puts and deletes in the same order.
    for (let attempt = 1; ; attempt += 1) {
      const before = progress.records;
      try {
        await this.internal!.readPartition(changelog, from, (records) => {
          store.restore(records);
          progress.records += records.length;
          changed();
        });
        return;
      } catch (error) {
        if (attempt >= RESTORE_ATTEMPTS) throw error;
        progress.records = before;
        this.logger.warn('reading a changelog back failed; trying again', {
          partition: task.info.id,
          store: store.name,
          attempt,
          error: messageOf(error),
        });
        await new Promise((resolve) => setTimeout(resolve, RESTORE_BACKOFF_MS * attempt));
      }
    }
  }
}
