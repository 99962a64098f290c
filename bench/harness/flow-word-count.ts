import { codec, KafkaClient } from '@kafkats/client';
import { flow } from '@kafkats/flow';

/** A running @kafkats/flow application. */
export interface FlowApp {
  stop(): Promise<void>;
}

/**
 * The word count as a @kafkats/flow user writes it: `groupByKey().count()` into its in-memory
 * store (with its changelog, the default), the table's updates to `output`, at-least-once
 * (its default), reading `input` from the beginning.
 *
 * @example
 * const app = await startFlowWordCount({ brokers, applicationId, input, output });
 * await app.stop();
 */
export const startFlowWordCount = async (options: {
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
}): Promise<FlowApp> => {
  const client = new KafkaClient({ brokers: [...options.brokers], clientId: 'flow-word-count' });
  const app = flow({ applicationId: options.applicationId, client });
  app
    .stream(options.input, {
      key: codec.string(),
      value: codec.string(),
      offsetReset: 'earliest',
    })
    .groupByKey()
    .count({ storeName: 'counts' })
    .toStream()
    .to(options.output, { key: codec.string(), value: codec.json<number>() });
  await app.start();
  return {
    stop: async () => {
      await app.close();
      await client.disconnect().catch(() => undefined);
    },
  };
};
