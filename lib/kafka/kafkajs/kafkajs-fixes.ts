import type { Logger } from '../../logger/logger';
import { fixConnection } from './connection-fix';
import { FIXED_KAFKAJS_VERSION, loadKafkajsInternals } from './kafkajs-internals';
import { fixRejoin } from './rejoin-fix';

/**
 * Set to `off` to leave kafkajs unpatched (to compare, or to rule the fixes out), or to
 * `crash-guard` to keep only the guard that turns an unreadable response into a reconnect
 * instead of an uncaught exception (the stalls the reconnect and rejoin fixes prevent then
 * happen, and the liveness watchdog must deal with them: the chaos suite checks that).
 */
export const KAFKAJS_FIXES_ENV = 'RX_KSTREAMS_KAFKAJS_FIXES';

/** What {@link applyKafkajsFixes} did. */
export type KafkajsFixesStatus =
  | { readonly _tag: 'Applied'; readonly version: string }
  | { readonly _tag: 'AlreadyApplied'; readonly version: string }
  | { readonly _tag: 'CrashGuardOnly'; readonly version: string }
  | { readonly _tag: 'Skipped'; readonly version: string; readonly reason: string };

/**
 * Patches the kafkajs this package resolves (once: the patched classes carry a mark) with fixes for two kafkajs
 * 2.2.4 faults after a network fault (kafkajs has had no release since 2.2.4):
 * {@link fixConnection} (a reconnected connection parsed the new socket's bytes as the rest of
 * the old one's frame, and stalled or crashed the process) and {@link fixRejoin} (a consumer
 * restarted after a crash waited out its own old session). `kafkajsClient()` calls it.
 *
 * Applied to kafkajs 2.2.4 only: another version is left as it is, with a warning, since the
 * fixes patch internals that are checked against 2.2.4's code. `RX_KSTREAMS_KAFKAJS_FIXES=off`
 * leaves kafkajs unpatched, `=crash-guard` applies the crash guard alone.
 *
 * @example
 * applyKafkajsFixes(logger); // { _tag: 'Applied', version: '2.2.4' }
 */
export const applyKafkajsFixes = (
  logger: Logger,
  load: typeof loadKafkajsInternals = loadKafkajsInternals,
  env: NodeJS.ProcessEnv = process.env,
): KafkajsFixesStatus => {
  const internals = load();
  const { version } = internals;
  if (env[KAFKAJS_FIXES_ENV] === 'off') {
    return { _tag: 'Skipped', version, reason: `${KAFKAJS_FIXES_ENV}=off` };
  }
  if (version !== FIXED_KAFKAJS_VERSION) {
    logger.warn(
      `kafkajs ${version}: the reconnect and rejoin fixes written for ${FIXED_KAFKAJS_VERSION} are not applied; ` +
        `see docs/reliability.md to check whether this version needs them`,
      { version },
    );
    return {
      _tag: 'Skipped',
      version,
      reason: `written for kafkajs ${FIXED_KAFKAJS_VERSION}, found ${version}`,
    };
  }
  if (env[KAFKAJS_FIXES_ENV] === 'crash-guard') {
    fixConnection(internals.Connection, { resetOnReconnect: false });
    return { _tag: 'CrashGuardOnly', version };
  }
  const connection = fixConnection(internals.Connection);
  const rejoin = fixRejoin(internals.ConsumerGroup);
  if (!connection && !rejoin) return { _tag: 'AlreadyApplied', version };
  logger.debug('kafkajs fixes applied: reset on reconnect, rejoin as the same member', {
    version,
  });
  return { _tag: 'Applied', version };
};
