import { codec, KafkaClient } from '@kafkats/client';
import { flow } from '@kafkats/flow';
import { lmdb } from '@kafkats/flow-state-lmdb';

/** A running @kafkats/flow application. */
export interface FlowApp {
  stop(): Promise<void>;
}

/** What the stateful benchmarks aggregate: a count of each word, or a sum of each key's amounts. */
export type Workload = 'count' | 'sum';

/**
 * The word count (or the per-key sum) as a @kafkats/flow user writes it:
 * `groupByKey().count()` (or `.reduce((a, b) => a + b)`) into its store (in memory, its
 * default, or LMDB under `stateDir` through @kafkats/flow-state-lmdb), with its changelog
 * (the default), the table's updates to `output`, at-least-once (its default), reading
 * `input` from the beginning.
 *
 * @example
 * const app = await startFlowWordCount({ brokers, applicationId, input, output, workload: 'count' });
 * await app.stop();
 */
export const startFlowWordCount = async (options: {
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
  readonly workload: Workload;
  /** LMDB's directory; in memory when absent. */
  readonly stateDir?: string | undefined;
}): Promise<FlowApp> => {
  const client = new KafkaClient({ brokers: [...options.brokers], clientId: 'flow-word-count' });
  const app = flow({
    applicationId: options.applicationId,
    client,
    ...(options.stateDir === undefined
      ? {}
      : { stateStoreProvider: lmdb({ stateDir: options.stateDir }) }),
  });
  const out = { key: codec.string(), value: codec.json<number>() };
  if (options.workload === 'count') {
    app
      .stream(options.input, {
        key: codec.string(),
        value: codec.string(),
        offsetReset: 'earliest',
      })
      .groupByKey()
      .count({ storeName: 'counts' })
      .toStream()
      .to(options.output, out);
  } else {
    app
      .stream(options.input, {
        key: codec.string(),
        value: codec.json<number>(),
        offsetReset: 'earliest',
      })
      .groupByKey()
      .reduce((total, amount) => total + amount, {
        storeName: 'sums',
        value: codec.json<number>(),
      })
      .toStream()
      .to(options.output, out);
  }
  await app.start();
  return {
    stop: async () => {
      await app.close();
      await client.disconnect().catch(() => undefined);
    },
  };
};
