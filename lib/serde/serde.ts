/**
 * Turns values into bytes and back. Kafka keys and values may be null (a tombstone),
 * so both directions accept null. A failure throws a {@link SerdeError}.
 *
 * @example
 * const upper: Serde<string> = {
 *   serialize: (_topic, v) => Buffer.from(v.toUpperCase()),
 *   deserialize: (_topic, data) => (data === null ? '' : data.toString()),
 * };
 */
export interface Serde<T> {
  serialize(topic: string, value: T): Buffer | null;
  deserialize(topic: string, data: Buffer | null): T;
}
