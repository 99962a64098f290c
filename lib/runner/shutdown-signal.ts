/**
 * The AbortSignal {@link shutdownSignal} returns: it aborts on the first signal, and its
 * `force` aborts on the second, which a running application takes as "stop now".
 */
export interface ShutdownSignal extends AbortSignal {
  /** Aborts on the second signal: records still running are abandoned, read again later. */
  readonly force: AbortSignal;
}

/**
 * An AbortSignal that aborts on the first of `signals` (default SIGINT and SIGTERM), for
 * `app.runWith(signal, runner)`: the application shuts down gracefully (it drains). A second
 * signal aborts its `force`: the application stops at once, abandoning the records still
 * running (they stay uncommitted and are read again), and still commits what finished. The
 * handlers are removed after the second signal, so a third one ends the process as Node does.
 *
 * @example
 * await app.runWith(shutdownSignal(), partitionedRunner());
 */
export const shutdownSignal = (
  signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
): ShutdownSignal => {
  const controller = new AbortController();
  const force = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      controller.abort(new Error(`received ${name}`));
      return;
    }
    for (const s of signals) process.off(s, onSignal);
    force.abort(new Error(`received ${name} again`));
  };
  for (const s of signals) process.on(s, onSignal);
  return Object.assign(controller.signal, { force: force.signal });
};
