import type { Serde } from './serde';
import { kindOf } from '../errors/kind-of';
import { serdeFailure } from './serde-failure';

/**
 * UTF-8 strings; null stays null (a tombstone). Like Kafka's Java `StringDeserializer`,
 * bytes that are not valid UTF-8 decode to U+FFFD rather than failing. Serializing
 * anything but a string or null is a SerdeError.
 *
 * @example
 * const serde = Serdes.string();
 * serde.serialize('greetings', 'héllo'); // <Buffer 68 c3 a9 6c 6c 6f>
 * serde.deserialize('greetings', Buffer.from('héllo')); // 'héllo'
 */
export const string = (): Serde<string | null> => ({
  serialize: (topic, value) => {
    if (value === null) return null;
    if (typeof value === 'string') return Buffer.from(value, 'utf8');
    throw serdeFailure(
      'string',
      'serialize',
      topic,
      `expected a string or null, got ${kindOf(value)}`,
    );
  },
  deserialize: (_topic, data) => (data === null ? null : data.toString('utf8')),
});
