/** Structured fields that go with a log line. */
export type LogFields = Record<string, unknown>;

/** The logger a runner and handlers write to; pino, winston and console fit with a thin adapter. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** One of the logger's levels. */
export type LogLevel = keyof Logger;

const ignore = (): void => undefined;

/** The default: writes nothing. */
export const noopLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * Writes to `console`, each line prefixed with its level.
 *
 * @example
 * new Application(client, topology).runWith(signal, partitionedRunner({ logger: consoleLogger() }));
 */
export const consoleLogger = (minLevel: LogLevel = 'info'): Logger => {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const write =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (order.indexOf(level) < order.indexOf(minLevel)) return;
      const line = `[${level}] ${message}`;
      (level === 'error' || level === 'warn' ? console.error : console.log)(
        fields === undefined ? line : `${line} ${JSON.stringify(fields)}`,
      );
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
};
