// The code of docs/runners.md, type-checked by the build and run by spec/docs/docs-code-spec.ts.
import { pipe } from 'fp-ts/lib/function.js';
import type { ErrorHandler, KafkaClient, Logger, RunnableTopology } from 'rx-kstreams';
import {
  Application,
  consoleLogger,
  fixedBackoff,
  logAndFail,
  mapAction,
  mapValues,
  partitionedRunner,
  shutdownSignal,
  withDLQ,
  withMaxAttempts,
} from 'rx-kstreams';

export const runPartitioned = async (
  client: KafkaClient,
  topology: RunnableTopology,
  signal: AbortSignal = shutdownSignal(), // SIGINT / SIGTERM
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

// Three attempts 500 ms apart, then the dead-letter topic; every dead letter is logged.
export const retryThenDeadLetter = (logger: Logger): ErrorHandler =>
  pipe(
    withMaxAttempts(3, fixedBackoff(500), withDLQ('orders.dlq')),
    mapAction((action, ec) => {
      if (action._tag === 'SendToDLQ') {
        logger.warn('dead-lettering', { offset: ec.record.offset, topic: action.topic });
      }
      return action;
    }),
  );

// The rate lookup gets the record's signal: when the record is abandoned (a drain out of time,
// a forced stop), the lookup stops; the record is read again.
export interface Order {
  readonly id: string;
  readonly currency: string;
}
export type RateLookup = (currency: string, signal: AbortSignal) => Promise<number>;

export const withRate = <K>(rateOf: RateLookup) =>
  mapValues<K, Order, Order & { rate: number }>(async (order, _record, { signal }) => ({
    ...order,
    rate: await rateOf(order.currency, signal),
  }));
