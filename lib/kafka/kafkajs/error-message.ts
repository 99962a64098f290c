/**
 * The message of a thrown value, for a log line: kafkajs and listeners may throw anything.
 *
 * @example
 * logger.warn('kafkajs pause failed', { error: errorMessage(e) });
 */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
