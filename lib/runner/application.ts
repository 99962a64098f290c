import { BehaviorSubject, type Observable } from 'rxjs';
import { ConfigError } from '../errors/config-error';
import type { KafkaClient } from '../kafka/client';
import type { RunnableTopology } from '../topology/topology-task';
import type { Runner, RunnerFactory, RunnerStats } from './runner';
import type { ShutdownSignal } from './shutdown-signal';
import { singleThreadedRunner } from './single-threaded-runner';

/** The `force` signal of a {@link ShutdownSignal}, if `signal` is one. */
const forceOf = (signal: AbortSignal | undefined): AbortSignal | undefined => {
  const force = (signal as Partial<ShutdownSignal> | undefined)?.force;
  return force instanceof AbortSignal ? force : undefined;
};

/**
 * A topology bound to a Kafka client: run it with the default runner, or pick one.
 *
 * @example
 * const app = new Application(kafka.client({ groupId: 'orders-app' }), topology);
 * const signal = shutdownSignal();               // SIGINT / SIGTERM
 * await app.runWith(signal, partitionedRunner({ channelBufferSize: 200 }));
 */
export class Application {
  private readonly statsSubject = new BehaviorSubject<RunnerStats | undefined>(undefined);
  private runner: Runner | undefined;
  private controller: AbortController | undefined;
  private forcing: AbortController | undefined;

  constructor(
    private readonly client: KafkaClient,
    private readonly topology: RunnableTopology,
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
    const runner = factory({ client: this.client, topology: this.topology });
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
  stats(): RunnerStats | undefined {
    return this.runner?.stats() ?? this.statsSubject.value;
  }

  /** `stats()` as it changes. */
  get stats$(): Observable<RunnerStats | undefined> {
    return this.statsSubject.asObservable();
  }
}
