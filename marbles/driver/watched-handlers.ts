import type { ErrorHandler } from '../../lib/errorhandler/error-handler';
import type { ErrorPhase } from '../../lib/errors/phase';
import { isPromiseLike } from '../../lib/topology/eventual';

/**
 * The handler of each phase, as `handlerFor` gives it, telling `async` when it returns a
 * Promise: the marble driver's record life would wait for it past the end of virtual time,
 * and the driver's message names the handler instead of a node.
 *
 * @example
 * const handlerFor = watchedHandlers(handlerByPhase(options), (phase) => slow.add(phase));
 */
export const watchedHandlers = (
  handlerFor: (phase: ErrorPhase) => ErrorHandler,
  async: (phase: ErrorPhase) => void,
): ((phase: ErrorPhase) => ErrorHandler) => {
  const watched = new Map<ErrorPhase, ErrorHandler>();
  return (phase) => {
    let handler = watched.get(phase);
    if (handler === undefined) {
      const inner = handlerFor(phase);
      handler = (ec) => {
        const action = inner(ec);
        if (isPromiseLike(action)) async(phase);
        return action;
      };
      watched.set(phase, handler);
    }
    return handler;
  };
};
