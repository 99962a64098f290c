import type { Logger } from '../logger/logger';
import { Action } from './action';
import { describeError } from './describe-error';
import type { ErrorHandler } from './error-handler';

/**
 * Log the error and skip the record.
 *
 * @example
 * partitionedRunner({ serdeErrorHandler: logAndContinue(consoleLogger()) });
 */
export const logAndContinue =
  (logger: Logger): ErrorHandler =>
  (ec) => {
    logger.error('record failed, skipping it', describeError(ec));
    return Action.continue();
  };
