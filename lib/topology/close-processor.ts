import type { Logger } from '../logger/logger';
import type { Processor } from './processor';

/**
 * Calls a processor's `close()` where nobody can wait for it (an RxJS `finalize`): a
 * throw or a rejection is logged, not thrown. Internal.
 *
 * @example
 * finalize(() => closeQuietly(processor, logger, 'PROCESSOR'));
 */
export const closeQuietly = <K, V, K2, V2>(
  processor: Processor<K, V, K2, V2>,
  logger: Logger,
  nodeName: string,
): void => {
  const report = (error: unknown): void =>
    logger.error('processor close failed', { nodeName, error });
  try {
    const done = processor.close?.();
    if (done !== undefined) done.catch(report);
  } catch (error) {
    report(error);
  }
};
