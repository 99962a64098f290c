// The code of docs/reliability.md, type-checked by the build and run by spec/docs/docs-code-spec.ts.
import type { KafkaClient, RunnableTopology } from 'rx-kstreams';
import {
  Application,
  consoleLogger,
  ConsumerStalledError,
  partitionedRunner,
  shutdownSignal,
} from 'rx-kstreams';

/** Runs until the signal aborts; resolves with the process exit code to use. */
export const runWatched = async (
  client: KafkaClient,
  topology: RunnableTopology,
  signal: AbortSignal = shutdownSignal(), // SIGINT / SIGTERM
): Promise<number> => {
  const logger = consoleLogger();
  const app = new Application(client, topology);
  const watch = setInterval(() => {
    const stats = app.stats();
    if (stats !== undefined && stats.consumerRecreations > 0) {
      logger.warn('clients replaced after a stall', { times: stats.consumerRecreations });
    }
  }, 60_000);
  try {
    await app.runWith(
      signal,
      partitionedRunner({
        logger,
        livenessTimeoutMs: 90_000, // above the group's rebalanceTimeout (kafkajs: 60 s)
        maxConsumerRecreations: 3,
      }),
    );
    return 0;
  } catch (error) {
    // Every replacement stalled too: exit, and let the supervisor start a fresh process.
    if (error instanceof ConsumerStalledError) {
      logger.error(error.message);
      return 2;
    }
    throw error;
  } finally {
    clearInterval(watch);
  }
};
