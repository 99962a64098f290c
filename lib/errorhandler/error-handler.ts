import type { Action } from './action';
import type { ErrorContext } from './error-context';

/**
 * Decides what happens to a record whose pipeline failed.
 *
 * @example
 * const retryThenSkip: ErrorHandler = (ec) => (ec.attempt < 3 ? Action.retry(100) : Action.continue());
 */
export type ErrorHandler = (ec: ErrorContext) => Action | Promise<Action>;
