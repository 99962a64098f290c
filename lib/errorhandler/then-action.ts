import type { Action } from './action';
import type { ErrorContext } from './error-context';
import type { ErrorHandler } from './error-handler';

/**
 * Applies `f` to a handler's answer, staying synchronous when the answer is, so that
 * composed handlers keep running in RxJS virtual time.
 */
export const thenAction = <R>(
  answer: Action | Promise<Action>,
  f: (action: Action) => R,
): R | Promise<R> => (answer instanceof Promise ? answer.then(f) : f(answer));

/**
 * A handler transformer: the same handler, with `f` applied to every action it chooses
 * (synchronously when the handler answers synchronously). It is how handlers are composed,
 * with fp-ts `pipe` or `flow`; `withDLQ` and `actionLogger` are built with it. An action
 * that replaces one with a wait (`afterMs`, from {@link Action.after}) keeps that wait.
 *
 * @example
 * const neverFail = mapAction((action) => (action._tag === 'Fail' ? Action.continue() : action));
 * const handler = pipe(withMaxAttempts(3, fixedBackoff(100), logAndFail(logger)), neverFail);
 */
export const mapAction =
  (f: (action: Action, ec: ErrorContext) => Action) =>
  (handler: ErrorHandler): ErrorHandler =>
  (ec) =>
    thenAction(handler(ec), (action) => {
      const mapped = f(action, ec);
      return action.afterMs === undefined || mapped.afterMs !== undefined
        ? mapped
        : { ...mapped, afterMs: action.afterMs };
    });
