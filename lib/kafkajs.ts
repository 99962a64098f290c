// The `rx-kstreams/kafkajs` entry point: the kafkajs adapter of the client port.
// kafkajs is an optional peer dependency, so nothing in `rx-kstreams` imports this file.
export { kafkajsClient } from './kafka/kafkajs/kafkajs-client';
export type {
  KafkajsClientOptions,
  KafkajsProducerOptions,
  KafkajsLogLevel,
} from './kafka/kafkajs/kafkajs-client-options';
export { ConsumerCrashedError } from './kafka/kafkajs/consumer-crashed-error';
export { kafkajsLogCreator } from './kafka/kafkajs/kafkajs-log-creator';
