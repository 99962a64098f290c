import type { Logger, LogLevel } from '../logger/logger';
import type { Action } from './action';
import { describeError } from './describe-error';
import type { ErrorHandler } from './error-handler';
import { thenAction } from './then-action';

/**
 * Ask `next` and log the action it chose at `level`, with where the error happened.
 *
 * @example
 * actionLogger(logger, 'warn', withMaxAttempts(3, fixedBackoff(100), logAndFail(logger)));
 */
export const actionLogger =
  (logger: Logger, level: LogLevel, next: ErrorHandler): ErrorHandler =>
  (ec) =>
    thenAction(next(ec), (action: Action) => {
      logger[level](`error handler chose ${action._tag}`, { ...describeError(ec), action });
      return action;
    });
