/**
 * Resolves after `ms` milliseconds.
 *
 * @example
 * await sleep(100);
 */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks `done` every `everyMs` until it holds; throws naming `what` after `timeoutMs`.
 *
 * @example
 * await waitFor(async () => (await outputCount()) >= expected, 'all outputs', 120_000);
 */
export const waitFor = async (
  done: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs: number,
  everyMs = 20,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
};
