import { bytes } from './bytes';
import { json } from './json';
import { protobuf } from './protobuf';
import { string } from './string';

/**
 * The built-in serdes. Each is a factory, so every call returns a fresh serde.
 * Every one maps null to null (a tombstone) both ways and reports failures as `SerdeError`s.
 *
 * @example
 * builder
 *   .stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() })
 *   .pipe(mapValues((order) => order?.total ?? 0))
 *   .to('totals', { key: Serdes.string(), value: Serdes.json<number>() });
 */
export const Serdes = { bytes, string, json, protobuf } as const;
