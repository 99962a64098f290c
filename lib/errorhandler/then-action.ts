import type { Action } from './action';

/**
 * Applies `f` to a handler's answer, staying synchronous when the answer is, so that
 * composed handlers keep running in RxJS virtual time.
 */
export const thenAction = <R>(
  answer: Action | Promise<Action>,
  f: (action: Action) => R,
): R | Promise<R> => (answer instanceof Promise ? answer.then(f) : f(answer));
