import { Action } from './action';
import type { ErrorHandler } from './error-handler';

/**
 * The default handler: fail without logging, so the run rejects with the error.
 *
 * @example
 * partitionedRunner({ errorHandler: silentFail() });
 */
export const silentFail = (): ErrorHandler => () => Action.fail();
