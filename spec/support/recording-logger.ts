import type { Logger, LogLevel } from '../../lib/logger/logger';

/** One line a {@link recordingLogger} was given. */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields?: unknown;
}

/** A Logger that keeps every line, for assertions on what was logged. */
export const recordingLogger = (): Logger & { entries: LogEntry[]; messages: () => string[] } => {
  const entries: LogEntry[] = [];
  const at =
    (level: LogLevel) =>
    (message: string, fields?: unknown): void => {
      entries.push({ level, message, fields });
    };
  return {
    entries,
    messages: () => entries.map((e) => e.message),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
};
