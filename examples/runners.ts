// The code of docs/runners.md, type-checked by the build and run by spec/docs/docs-code-spec.ts.
import type { KafkaClient, RunnableTopology } from 'rx-kstreams';
import {
  Application,
  consoleLogger,
  fixedBackoff,
  logAndFail,
  partitionedRunner,
  shutdownSignal,
  withMaxAttempts,
} from 'rx-kstreams';

export const runPartitioned = async (
  client: KafkaClient,
  topology: RunnableTopology,
  signal = shutdownSignal(), // SIGINT / SIGTERM
): Promise<void> => {
  const logger = consoleLogger();
  await new Application(client, topology).runWith(
    signal,
    partitionedRunner({
      logger,
      errorHandler: withMaxAttempts(3, fixedBackoff(1000), logAndFail(logger)),
      channelBufferSize: 200,
      workerShutdownTimeoutMs: 15_000,
      drainTimeoutMs: 30_000,
    }),
  );
};
