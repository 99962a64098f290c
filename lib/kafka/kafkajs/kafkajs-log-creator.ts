import type { LogEntry, logCreator } from 'kafkajs';
import { logLevel as kafkajsLogLevel } from 'kafkajs';
import type { Logger } from '../../logger/logger';

/**
 * A kafkajs `logCreator` that writes kafkajs's log lines to a rx-kstreams {@link Logger},
 * with the kafkajs namespace and fields as structured fields.
 *
 * @example
 * new Kafka({ brokers, logCreator: kafkajsLogCreator(consoleLogger('warn')) });
 */
export const kafkajsLogCreator =
  (logger: Logger): logCreator =>
  () =>
  ({ namespace, level, log }: LogEntry): void => {
    const { message, timestamp: _timestamp, ...fields } = log;
    const withNamespace = { namespace, ...fields };
    if (level === kafkajsLogLevel.ERROR) logger.error(message, withNamespace);
    else if (level === kafkajsLogLevel.WARN) logger.warn(message, withNamespace);
    else if (level === kafkajsLogLevel.INFO) logger.info(message, withNamespace);
    else if (level === kafkajsLogLevel.DEBUG) logger.debug(message, withNamespace);
  };
