import { BehaviorSubject, filter, type Observable, Subject } from 'rxjs';
import type { StoreChange } from '../state/store-change';
import { ConfigError } from '../errors/config-error';
import type { KafkaClient } from '../kafka/client';
import type { RunnableTopology } from '../topology/topology-task';
import type { Runner, RunnerFactory, RunnerStats } from './runner';
import type { ShutdownSignal } from './shutdown-signal';
import { singleThreadedRunner } from './single-threaded-runner';
import { checkKnownKeys } from '../errors/known-keys';
import type { ReadOnlyKeyValueStore } from '../state/key-value-store';
import { localStoreQuery } from '../state/local-store-query';

/** The `force` signal of a {@link ShutdownSignal}, if `signal` is one. */
const forceOf = (signal: AbortSignal | undefined): AbortSignal | undefined => {
  const force = (signal as Partial<ShutdownSignal> | undefined)?.force;
  return force instanceof AbortSignal ? force : undefined;
};

/** Options of an {@link Application}. */
export interface ApplicationOptions {
  /**
   * Names the application: its consumer group (the client's `groupId`, which it must equal;
   * the default) and its internal topics (`<applicationId>-<store>-changelog`).
   */
  readonly applicationId?: string | undefined;
}

/**
 * A topology bound to a Kafka client: run it with the default runner, or pick one.
 *
 * @example
 * const app = new Application(kafka.client({ groupId: 'orders-app' }), topology);
 * const signal = shutdownSignal();               // SIGINT / SIGTERM
 * await app.runWith(signal, partitionedRunner({ channelBufferSize: 200 }));
 * app.store<string, number>('counts').get('apples'); // a store of this instance's tasks
 */
export class Application {
  /** Names the consumer group and the internal topics. */
  readonly applicationId: string;
  private readonly statsSubject = new BehaviorSubject<RunnerStats | undefined>(undefined);
  private readonly storeChanges = new Subject<StoreChange<unknown, unknown>>();
  private runner: Runner | undefined;
  private controller: AbortController | undefined;
  private forcing: AbortController | undefined;

  constructor(
    private readonly client: KafkaClient,
    private readonly topology: RunnableTopology,
    options: ApplicationOptions = {},
  ) {
    if (
      client === null ||
      typeof client !== 'object' ||
      typeof client.createConsumer !== 'function'
    ) {
      throw new ConfigError(
        'client',
        'must be a KafkaClient (InMemoryKafka.client() or kafkajsClient())',
      );
    }
    if (
      topology === null ||
      typeof topology !== 'object' ||
      typeof topology.createTask !== 'function'
    ) {
      throw new ConfigError('topology', 'must be a Topology from StreamsBuilder.build()');
    }
    checkKnownKeys<ApplicationOptions>('Application', options, { applicationId: true });
    const { applicationId } = options;
    if (applicationId !== undefined && applicationId !== client.groupId) {
      throw new ConfigError(
        'applicationId',
        `"${String(applicationId)}" differs from the client's groupId "${client.groupId}": the application id is the consumer group; create the client with groupId: '${String(applicationId)}', or leave applicationId out`,
      );
    }
    this.applicationId = client.groupId;
  }

  /** Runs with `singleThreadedRunner()` defaults until `signal` aborts or `close()` is called. */
  run(signal?: AbortSignal): Promise<void> {
    return this.runWith(signal, singleThreadedRunner());
  }

  /**
   * Runs with the runner `factory` builds. Resolves after a graceful shutdown once
   * `signal` aborts (or `close()` is called); rejects on a fatal error, after shutting down.
   */
  async runWith(signal: AbortSignal | undefined, factory: RunnerFactory): Promise<void> {
    if (this.runner !== undefined) throw new Error('the application is already running');
    // Stopped before it started: do not join the group (that would rebalance the others).
    if (signal?.aborted) return;
    const runner = factory({
      client: this.client,
      topology: this.topology,
      applicationId: this.applicationId,
      storeChanges: this.storeChanges,
    });
    const controller = new AbortController();
    const forcing = new AbortController();
    const forward = (): void => controller.abort();
    const forwardForce = (): void => forcing.abort();
    // shutdownSignal()'s `force` (a second Ctrl-C), or a second close(), stops at once.
    const force = forceOf(signal);
    signal?.addEventListener('abort', forward, { once: true });
    if (force?.aborted) forcing.abort();
    force?.addEventListener('abort', forwardForce, { once: true });
    this.runner = runner;
    this.controller = controller;
    this.forcing = forcing;
    const feed = runner.stats$.subscribe((s) => this.statsSubject.next(s));
    try {
      await runner.run(controller.signal, forcing.signal);
    } finally {
      feed.unsubscribe();
      signal?.removeEventListener('abort', forward);
      force?.removeEventListener('abort', forwardForce);
      this.forcing = undefined;
      this.statsSubject.next(runner.stats());
      this.runner = undefined;
      this.controller = undefined;
    }
  }

  /**
   * Asks a running application to shut down gracefully (it drains); the run's promise
   * settles after. Called again while it drains, it stops at once: the records still running
   * are abandoned (uncommitted, read again later) and what finished is committed.
   */
  close(): void {
    if (this.controller?.signal.aborted) this.forcing?.abort();
    else this.controller?.abort();
  }

  /**
   * The runner kind; per assigned partition its buffer, pending, pause, commit and lag;
   * records in and out with their rates, errors by phase and processing-time percentiles.
   */
  /**
   * A read-only view of the state store `name` of this instance's tasks (local interactive
   * queries). `get` looks in the task of the key's partition and throws a
   * {@link StoreNotLocalError} naming the partition when this instance does not own it;
   * `range` and `all` read every local task's store. Throws when no store of that name is
   * declared, or the application is not running.
   */
  store<K, V>(name: string): ReadOnlyKeyValueStore<K, V> {
    this.checkStore(name);
    return localStoreQuery<K, V>(name, () => {
      const runner = this.runner;
      if (runner?.localStores === undefined) {
        throw new Error(`store ${name}: the application is not running, so it has no tasks to ask`);
      }
      return runner.localStores(name);
    });
  }

  /**
   * The changes processing makes to the state store `name` on this instance, as they are
   * made, in every task's store: `{ store, partition, key, value, oldValue }`, `value` null
   * for a delete. RxJS-first: a table's updates as an Observable (`app.changes('counts')
   * .pipe(filter(...))`). Hot: what happened before the subscription is not replayed, nor is
   * what a restore writes; across runs it goes on, and it never completes. Under
   * at-least-once a record processed again makes its change again. Throws when no store of
   * that name is declared.
   *
   * @example
   * app.changes<string, number>('counts').subscribe(({ key, value }) => console.log(key, value));
   */
  changes<K, V>(name: string): Observable<StoreChange<K, V>> {
    this.checkStore(name);
    return this.storeChanges.pipe(
      filter((change): change is StoreChange<K, V> => change.store === name),
    );
  }

  private checkStore(name: string): void {
    const declared = this.topology.stateStores ?? [];
    if (!declared.some((store) => store.name === name)) {
      const names = declared.map((store) => store.name).join(', ') || 'none';
      throw new Error(`the topology has no state store named "${name}" (its stores: ${names})`);
    }
  }

  stats(): RunnerStats | undefined {
    return this.runner?.stats() ?? this.statsSubject.value;
  }

  /** `stats()` as it changes. */
  get stats$(): Observable<RunnerStats | undefined> {
    return this.statsSubject.asObservable();
  }
}
