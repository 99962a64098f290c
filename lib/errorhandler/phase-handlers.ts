import type { ErrorPhase } from '../errors/phase';
import type { ErrorHandler } from './error-handler';
import { silentFail } from './silent-fail';

/**
 * The error handlers a runner (or the marble driver) is given: one general handler and,
 * optionally, one per phase.
 *
 * @example
 * const handlers: PhaseHandlers = { errorHandler: logAndFail(logger), serdeErrorHandler: withDLQ('dlq') };
 */
export interface PhaseHandlers {
  readonly errorHandler?: ErrorHandler | undefined;
  readonly serdeErrorHandler?: ErrorHandler | undefined;
  readonly processingErrorHandler?: ErrorHandler | undefined;
  readonly productionErrorHandler?: ErrorHandler | undefined;
}

/**
 * The handler that decides on a failure of each phase: the phase's own handler, else the
 * general one, else `silentFail()`. The one place where handlers are routed by phase.
 *
 * @example
 * const handlerFor = handlerByPhase({ errorHandler: logAndContinue(logger) });
 * handlerFor('serde'); // logAndContinue
 */
export const handlerByPhase = (handlers: PhaseHandlers): ((phase: ErrorPhase) => ErrorHandler) => {
  const fallback = handlers.errorHandler ?? silentFail();
  const byPhase: Record<ErrorPhase, ErrorHandler> = {
    serde: handlers.serdeErrorHandler ?? fallback,
    processing: handlers.processingErrorHandler ?? fallback,
    production: handlers.productionErrorHandler ?? fallback,
    unknown: fallback,
  };
  return (phase) => byPhase[phase];
};
