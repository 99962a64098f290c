// Checks both client adapters' options make (kafkajs-client-options, kafkats-client-options).
import { ConfigError } from '../errors/config-error';

/** A copy without the properties set to `undefined`: those are options not given. */
export const givenOnly = <T extends object>(
  options: T,
): { [P in keyof T]?: Exclude<T[P], undefined> } =>
  Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as {
    [P in keyof T]?: Exclude<T[P], undefined>;
  };

/** A non-empty string, else a ConfigError naming the option. */
export const requireNonEmptyString = (option: string, value: unknown): string => {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(option, `must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
};

/** A non-empty array of `host:port` strings, else a ConfigError naming `brokers`. */
export const checkBrokers = (brokers: unknown): readonly string[] => {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw new ConfigError('brokers', 'must be a non-empty array of "host:port" strings');
  }
  for (const broker of brokers) {
    if (typeof broker !== 'string' || !/^[^\s:]+:\d+$/.test(broker)) {
      throw new ConfigError('brokers', `"${String(broker)}" is not "host:port"`);
    }
  }
  return brokers as readonly string[];
};
