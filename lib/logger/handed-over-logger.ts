import { consoleLogger, type Logger } from './logger';

/** A logger that writes to the one handed over later, and to the console until then. */
export interface HandedOverLogger {
  readonly logger: Logger;
  /** From now on, lines go to `target`. */
  handOver(target: Logger): void;
}

/**
 * The logger a client adapter writes with when it was given none of its own: the runner hands
 * its logger over when it starts (`KafkaClient.useLogger`), so an application has one logger;
 * before that, warnings and errors go to the console.
 *
 * @example
 * const lines = handedOverLogger();
 * return { useLogger: (l) => lines.handOver(l), createConsumer: () => make(lines.logger) };
 */
export const handedOverLogger = (): HandedOverLogger => {
  let target: Logger | undefined;
  const beforeHandOver = consoleLogger('warn');
  const current = (): Logger => target ?? beforeHandOver;
  return {
    logger: {
      debug: (message, fields) => current().debug(message, fields),
      info: (message, fields) => current().info(message, fields),
      warn: (message, fields) => current().warn(message, fields),
      error: (message, fields) => current().error(message, fields),
    },
    handOver: (given) => {
      target = given;
    },
  };
};
