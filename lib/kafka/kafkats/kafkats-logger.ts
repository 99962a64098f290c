import type { Logger as KafkatsLogger } from '@kafkats/client';
import type { LogFields, Logger } from '../../logger/logger';
import type { KafkatsLogLevel } from './kafkats-client-options';

const ORDER: readonly KafkatsLogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * A @kafkats/client `Logger` that writes to a rx-kstreams {@link Logger}, from `level` up;
 * the context @kafkats/client adds (`component`, `groupId`, …) becomes structured fields.
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
      if (ORDER.indexOf(at) < from) return;
      // @kafkats/client logs from inside its loops: a throw here must not reach them.
      try {
        target[at](message, { ...context, ...fields });
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
