import type { Serde } from './serde';
import { kindOf } from '../errors/kind-of';
import { serdeFailure } from './serde-failure';

/**
 * Passes bytes through unchanged; null stays null (a tombstone). The default when a
 * stream or sink names no serde. Serializing anything but a Buffer or null is a SerdeError.
 *
 * @example
 * builder.stream('raw-events', { value: Serdes.bytes() }); // KStream<..., Buffer | null>
 */
export const bytes = (): Serde<Buffer | null> => ({
  serialize: (topic, value) => {
    if (value === null || Buffer.isBuffer(value)) return value;
    throw serdeFailure(
      'bytes',
      'serialize',
      topic,
      `expected a Buffer or null, got ${kindOf(value)}`,
    );
  },
  deserialize: (_topic, data) => data,
});
