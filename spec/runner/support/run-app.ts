import { Application, type RunnerFactory } from 'rx-kstreams';
import type { KafkaClient } from '../../../lib/kafka/client';
import type { RunnableTopology } from '../../../lib/topology/topology-task';

/** A running application and the means to stop it. */
export interface RunningApp {
  readonly app: Application;
  /** Settles when the run settles. */
  readonly done: Promise<void>;
  /** Aborts the run's signal and waits for the graceful shutdown. */
  stop(): Promise<void>;
}

/** Starts `topology` on `client` with the runner `factory` makes. */
export const startApp = (
  client: KafkaClient,
  topology: RunnableTopology,
  factory: RunnerFactory,
): RunningApp => {
  const app = new Application(client, topology);
  const controller = new AbortController();
  const done = app.runWith(controller.signal, factory);
  done.catch(() => undefined);
  return {
    app,
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
};
