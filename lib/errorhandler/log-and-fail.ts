import type { Logger } from '../logger/logger';
import { Action } from './action';
import { describeError } from './describe-error';
import type { ErrorHandler } from './error-handler';

/**
 * Log the error and stop the application.
 *
 * @example
 * withMaxAttempts(3, fixedBackoff(1000), logAndFail(consoleLogger()));
 */
export const logAndFail =
  (logger: Logger): ErrorHandler =>
  (ec) => {
    logger.error('record failed, stopping', describeError(ec));
    return Action.fail();
  };
