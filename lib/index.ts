// --- serdes ---
export type { Serde } from './serde/serde';
export { Serdes } from './serde/serdes';
export type { JsonSerdeOptions } from './serde/json';
export type { ProtobufReflectedType, ProtobufType, ProtobufWriter } from './serde/protobuf';
export { SerdeError, type SerdeErrorDetails } from './errors/serde-error';
