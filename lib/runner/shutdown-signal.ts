/**
 * An AbortSignal that aborts on the first of `signals` (default SIGINT and SIGTERM), for
 * `app.run(signal)`. The handlers are removed once it fires.
 *
 * @example
 * await app.runWith(shutdownSignal(), partitionedRunner());
 */
export const shutdownSignal = (
  signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
): AbortSignal => {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    for (const s of signals) process.off(s, onSignal);
    controller.abort(new Error(`received ${name}`));
  };
  for (const s of signals) process.once(s, onSignal);
  return controller.signal;
};
