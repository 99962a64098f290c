import type { Logger as KafkatsLogger } from '@kafkats/client';
import type { LogFields, Logger } from '../../logger/logger';
import type { KafkatsLogLevel } from './kafkats-client-options';

const ORDER: readonly KafkatsLogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** A broker out of reach: the connection refused, reset, dropped or timed out. */
const UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|socket hang up|disconnected connection|[Cc]onnection closed|Connection timeout/;

/**
 * True for a line that repeats, for every request, that a broker is out of reach: the
 * client retries (the fix reconnects, kafkats-reconnect-fix.ts) and rx-kstreams reports the
 * outcome (a `BrokerConnectionError` at start, the liveness watchdog later). Debug lines here.
 */
export const isUnreachableNoise = (fields: Record<string, unknown> | undefined): boolean =>
  typeof fields?.['error'] === 'string' && UNREACHABLE.test(fields['error']);

/**
 * A @kafkats/client `Logger` that writes to a rx-kstreams {@link Logger}, from `level` up;
 * the context @kafkats/client adds (`component`, `groupId`, …) becomes structured fields, and
 * its per-request "broker out of reach" errors become debug lines ({@link isUnreachableNoise}).
 *
 * @example
 * new KafkaClient({ brokers, clientId: 'app', logger: kafkatsLogger(consoleLogger(), 'warn') });
 */
export const kafkatsLogger = (
  target: Logger,
  level: KafkatsLogLevel,
  context: LogFields = {},
): KafkatsLogger => {
  const from = ORDER.indexOf(level);
  const write =
    (at: Exclude<KafkatsLogLevel, 'silent'>) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const level = at !== 'debug' && isUnreachableNoise(fields) ? 'debug' : at;
      if (ORDER.indexOf(level) < from) return;
      // @kafkats/client logs from inside its loops: a throw here must not reach them.
      try {
        target[level](message, { ...context, ...fields });
      } catch {
        // A log line lost is better than a consumer that stops.
      }
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => kafkatsLogger(target, level, { ...context, ...more }),
  };
};
