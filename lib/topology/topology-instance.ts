import { defer, EMPTY, type Observable } from 'rxjs';
import { ProcessingError } from '../errors/processing-error';
import { closeQuietly } from './close-processor';
import type { Logger } from '../logger/logger';
import type { RawRecord } from '../record/stream-record';
import { compileNode, type OpenProcessor, type Push } from './compile-node';
import { pushWithSignal } from './push-with-signal';
import type { GraphNode } from './graph-node';
import type { Pushed, RecordSink, TaskInfo, TopologyTask } from './topology-task';
import type { StoreDefinition } from '../state/stores';
import { changelogTopic } from '../state/stores';
import { TaskStore } from '../state/task-store';
import { StorePool } from '../state/store-pool';
import type { StoreChanges } from '../state/store-change';

/** What a task instance is made with. */
export interface InstanceSettings {
  readonly logger: Logger;
  /** The stores of the processors below the task's source, each with the topic it lives under. */
  readonly stores: readonly StoreUse[];
  /** Names the stores' changelog topics; required when a store has logging on. */
  readonly applicationId: string | undefined;
  /** Where the run keeps the stores the tasks of one partition number share; none: the task's own. */
  readonly pool: StorePool | undefined;
  /** Where the stores report their changes (`app.changes(store)`). */
  readonly changes?: StoreChanges | undefined;
}

/**
 * A store a task uses, and its home topic: the first topic whose processors use it, which
 * names its files (a store shared by a table's task and a joined stream's is one store).
 */
export interface StoreUse {
  readonly definition: StoreDefinition<unknown, unknown>;
  readonly home: string;
}

/** A task's stores: its changelog partition is the task's partition; shared through the pool. */
const taskStores = (info: TaskInfo, settings: InstanceSettings, pool: StorePool): TaskStore[] =>
  settings.stores.map(({ definition, home }) => {
    const { applicationId } = settings;
    if (definition.logging && applicationId === undefined) {
      throw new Error(
        `state store ${definition.name} has a changelog, which needs an applicationId to name it: createTask(info, { applicationId })`,
      );
    }
    const make = (): TaskStore => {
      const changelog =
        definition.logging && applicationId !== undefined
          ? { topic: changelogTopic(applicationId, definition.name), partition: info.partition }
          : undefined;
      const where = { id: `${home}:${info.partition}`, topic: home, partition: info.partition };
      const bytes = definition.supplier.create(definition.name, where, applicationId);
      return new TaskStore(definition, bytes, changelog, info.partition, settings.changes);
    };
    return pool.acquire(definition.name, info.partition, make);
  });

/**
 * One task's instance of a topology (see {@link TopologyTask}): its processors are made
 * and initialised here; a supplier or `init` that throws closes those already made and
 * throws a ProcessingError naming the node. Internal: `Topology.createTask` makes it.
 *
 * @example
 * const task = new TopologyInstance(roots, info, {
 *   logger,
 *   stores: [],
 *   applicationId: undefined,
 *   pool: undefined,
 * });
 * task.process(raw, sink).subscribe({ complete: () => commit(raw) });
 */
export class TopologyInstance implements TopologyTask {
  private readonly sources = new Map<string, Push>();
  private readonly opened: OpenProcessor[] = [];
  private closing: Promise<void> | undefined;

  /** The task's state stores, one per declared store. */
  readonly stores: readonly TaskStore[];
  private readonly info: TaskInfo;
  private readonly logger: Logger;
  /** The run's pool, or one of the task's own: its stores then have this task alone. */
  private readonly pool: StorePool;

  constructor(sources: readonly GraphNode[], info: TaskInfo, settings: InstanceSettings) {
    this.info = info;
    const { logger } = settings;
    this.logger = logger;
    this.pool = settings.pool ?? new StorePool();
    this.stores = taskStores(info, settings, this.pool);
    const stores = new Map(this.stores.map((store) => [store.name, store]));
    try {
      // Only the source of the task's topic: a task serves one topic-partition, and the
      // processors (and stores) below other sources belong to their own topics' tasks.
      for (const source of sources) {
        if (source._tag !== 'Source' || !source.topics.includes(info.topic)) continue;
        const push = compileNode(source, { task: info, logger, opened: this.opened, stores });
        source.topics.forEach((topic) => this.sources.set(topic, push));
      }
    } catch (error) {
      this.opened.forEach(({ nodeName, processor }) => closeQuietly(processor, logger, nodeName));
      for (const store of this.stores) if (this.pool.release(store)) void store.close();
      throw error;
    }
  }

  push(raw: RawRecord, sink: RecordSink): Pushed {
    return this.sourceFor(raw)(raw, sink);
  }

  /**
   * `push` as an Observable (for tests and scripts that want one): completes when the record
   * is through, errors where `push` would throw or error. A sink without a `signal` gets one
   * that aborts if the Observable is unsubscribed before the record is through.
   */
  process(raw: RawRecord, sink: Pick<RecordSink, 'send'> & Partial<RecordSink>): Observable<never> {
    if (sink.signal !== undefined) return defer(() => this.push(raw, sink as RecordSink) ?? EMPTY);
    return pushWithSignal(
      (withSignal) => this.push(raw, withSignal),
      (record, nodeName) => sink.send(record, nodeName),
    );
  }

  private sourceFor(raw: RawRecord): Push {
    if (this.closing !== undefined) {
      throw new Error(`task ${this.info.id} is closed; it processes no more records`);
    }
    const push = this.sources.get(raw.topic);
    if (push === undefined) {
      const topics = [...this.sources.keys()].join(', ');
      throw new Error(
        `no source node of task ${this.info.id} reads topic ${raw.topic} (the task reads: ${topics})`,
      );
    }
    return push;
  }

  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  /** Closes every processor, even after one fails; then rejects with the first failure. */
  private async closeAll(): Promise<void> {
    const failures: ProcessingError[] = [];
    for (const { nodeName, processor } of this.opened) {
      try {
        await processor.close?.();
      } catch (cause) {
        this.logger.error('processor close failed', { nodeName, task: this.info.id, error: cause });
        failures.push(new ProcessingError({ nodeName, cause }));
      }
    }
    for (const store of this.stores) {
      if (!this.pool.release(store)) continue; // another task of the partition still uses it
      try {
        await store.close();
      } catch (cause) {
        this.logger.error('state store close failed', {
          store: store.name,
          task: this.info.id,
          error: cause,
        });
      }
    }
    if (failures[0] !== undefined) throw failures[0];
  }
}
