import type { LogEntry, logCreator } from 'kafkajs';
import { logLevel as kafkajsLogLevel } from 'kafkajs';
import type { Logger } from '../../logger/logger';

/**
 * kafkajs lines that repeat what the caller is told anyway: every failed connection attempt
 * (kafkajs retries it; rx-kstreams reports the outcome, a `BrokerConnectionError` at start, the
 * liveness watchdog later) and every error response of a broker (it rejects the request it
 * answers, whose caller handles or reports it). They are debug lines here.
 */
const isRepeated = (namespace: string, message: unknown): boolean =>
  typeof message === 'string' &&
  ((namespace === 'Connection' &&
    (message.startsWith('Connection error') || message.startsWith('Response '))) ||
    (namespace === 'BrokerPool' && message.startsWith('Failed to connect to seed broker')));

/**
 * A kafkajs `logCreator` that writes kafkajs's log lines to a rx-kstreams {@link Logger},
 * with the kafkajs namespace and fields as structured fields, without kafkajs's stack traces
 * (kafkajs's own frames; the error's message stays); lines that repeat what the caller is
 * told anyway are debug lines.
 *
 * @example
 * new Kafka({ brokers, logCreator: kafkajsLogCreator(consoleLogger('warn')) });
 */
export const kafkajsLogCreator =
  (logger: Logger): logCreator =>
  () =>
  ({ namespace, level: given, log }: LogEntry): void => {
    // kafkajs logs from inside its retry and restart loops: a throw here would break them
    // (a restarted consumer never rejoining), so nothing escapes.
    try {
      const { message, timestamp: _timestamp, stack: _stack, ...fields } = log;
      const withNamespace = { namespace, ...fields };
      const level =
        given <= kafkajsLogLevel.WARN && isRepeated(namespace, message)
          ? kafkajsLogLevel.DEBUG
          : given;
      if (level === kafkajsLogLevel.ERROR) logger.error(message, withNamespace);
      else if (level === kafkajsLogLevel.WARN) logger.warn(message, withNamespace);
      else if (level === kafkajsLogLevel.INFO) logger.info(message, withNamespace);
      else if (level === kafkajsLogLevel.DEBUG) logger.debug(message, withNamespace);
    } catch {
      // A log line lost is better than a consumer that stops.
    }
  };
