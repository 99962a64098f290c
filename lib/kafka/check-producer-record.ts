import type { ProducerRecord } from './client';

/**
 * Checks a record handed to a producer adapter's `send()`: a TypeError names the bad field.
 *
 * @example
 * checkProducerRecord({ topic: 'out', key: null, value: 'v' }); // TypeError: ... must be a Buffer or null
 */
export const checkProducerRecord = (record: ProducerRecord): void => {
  if (typeof record !== 'object' || record === null)
    throw new TypeError('send(): record must be an object');
  if (typeof record.topic !== 'string' || record.topic === '') {
    throw new TypeError(
      `send(): record.topic must be a non-empty string, got ${JSON.stringify(record.topic)}`,
    );
  }
  for (const field of ['key', 'value'] as const) {
    const bytes = record[field];
    if (bytes !== null && !Buffer.isBuffer(bytes)) {
      throw new TypeError(`send(): record.${field} must be a Buffer or null (serialize it first)`);
    }
  }
  if (
    record.partition !== undefined &&
    (!Number.isInteger(record.partition) || record.partition < 0)
  ) {
    throw new TypeError(
      `send(): record.partition must be an integer >= 0, got ${record.partition}`,
    );
  }
};
