import type { Logger } from '../logger/logger';
import { LIVENESS_SCHEDULER } from './liveness-scheduler';
import { within } from './within';

/**
 * Waits for a client's `close()` (or `flush()`) at most `timeoutMs` of wall-clock time: a stuck
 * client must not hold the shutdown or a replacement. Rejects when it failed in time; a hang
 * is logged and outwaited, and a later failure ignored.
 *
 * @example
 * await boundedClose(producer.close(), 60_000, logger, 'the producer did not close in time');
 */
export const boundedClose = async (
  closing: Promise<unknown>,
  timeoutMs: number,
  logger: Logger,
  hungMessage: string,
): Promise<void> => {
  if (await within(closing, timeoutMs, LIVENESS_SCHEDULER)) return;
  closing.catch(() => undefined);
  logger.warn(hungMessage, { timeoutMs });
};
