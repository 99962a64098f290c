import { messageOf } from '../../errors/message-of';

/**
 * The @kafkats/client consumer's run ended while the runner still polled: it failed (the
 * `cause`) or stopped by itself. Every later `poll()` rejects with this error; the runner's
 * poll-error handling decides what happens (by default it stops the run with it).
 *
 * @example
 * runner.run(...).catch((e) => { if (e instanceof KafkatsConsumerStoppedError) console.error(e.cause); });
 */
export class KafkatsConsumerStoppedError extends Error {
  override readonly name = 'KafkatsConsumerStoppedError';
  constructor(
    readonly groupId: string,
    cause: unknown,
  ) {
    super(
      cause === undefined
        ? `@kafkats/client consumer of group ${groupId} stopped by itself`
        : `@kafkats/client consumer of group ${groupId} stopped: ${messageOf(cause)}`,
      { cause },
    );
  }
}
