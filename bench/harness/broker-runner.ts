import { Application, type KafkaClient, type RunnableTopology } from '../../lib/index';
import { kafkajsClient } from '../../lib/kafkajs';
import { kafkatsClient } from '../../lib/kafkats';
import { runnerFactory, type RunnerId } from './pricing-topology';
import { waitFor } from './sleep';

/** The client adapters a broker benchmark can run the runners on. */
export type BenchClient = 'kafkajs' | 'kafkats';

/** An application running on a real broker. */
export interface BrokerApp {
  readonly app: Application;
  /** Rejects as soon as the run fails. */
  readonly failed: () => unknown;
  /** Resolves once every partition of the input is assigned to it. */
  assigned(partitions: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `topology` with the runner `id` through `kafkajsClient` or `kafkatsClient` (library
 * defaults; the client logs errors only). `wrap` may decorate the client (to watch acknowledgements).
 *
 * @example
 * const running = startBrokerApp({ brokers, groupId, topology, runner: 'partitioned' });
 */
export const startBrokerApp = (options: {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly topology: RunnableTopology;
  readonly runner: RunnerId;
  /** The client adapter (default kafkajs). */
  readonly client?: BenchClient | undefined;
  readonly wrap?: (client: KafkaClient) => KafkaClient;
}): BrokerApp => {
  const settings = {
    brokers: options.brokers,
    groupId: options.groupId,
    clientId: `bench-${options.runner}`,
    logLevel: 'error',
  } as const;
  const base = options.client === 'kafkats' ? kafkatsClient(settings) : kafkajsClient(settings);
  const client = options.wrap === undefined ? base : options.wrap(base);
  const app = new Application(client, options.topology);
  const running = app.runWith(undefined, runnerFactory(options.runner));
  let failure: unknown;
  running.catch((error: unknown) => (failure = error ?? new Error('run failed')));
  return {
    app,
    failed: () => failure,
    assigned: (partitions) =>
      waitFor(
        () => {
          if (failure !== undefined) throw failure;
          return (app.stats()?.partitions.length ?? 0) >= partitions;
        },
        `${options.runner}: ${partitions} partitions assigned`,
        60_000,
        20,
      ),
    stop: async () => {
      app.close();
      await running;
    },
  };
};
