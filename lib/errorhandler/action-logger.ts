import { pipe } from 'fp-ts/lib/function.js';
import type { Logger, LogLevel } from '../logger/logger';
import { describeError } from './describe-error';
import type { ErrorHandler } from './error-handler';
import { mapAction } from './then-action';

/**
 * Ask `next` and log the action it chose at `level`, with where the error happened.
 *
 * @example
 * actionLogger(logger, 'warn', withMaxAttempts(3, fixedBackoff(100), logAndFail(logger)));
 */
export const actionLogger = (logger: Logger, level: LogLevel, next: ErrorHandler): ErrorHandler =>
  pipe(
    next,
    mapAction((action, ec) => {
      logger[level](`error handler chose ${action._tag}`, { ...describeError(ec), action });
      return action;
    }),
  );
