// The `rx-kstreams/kafkats` entry point: the @kafkats/client adapter of the client port.
// @kafkats/client is an optional peer dependency, so nothing in `rx-kstreams` imports this file.
export { kafkatsClient } from './kafka/kafkats/kafkats-client';
export type {
  KafkatsClientOptions,
  KafkatsConsumerOptions,
  KafkatsProducerOptions,
  KafkatsLogLevel,
  KafkatsSaslOptions,
  KafkatsTlsOptions,
} from './kafka/kafkats/kafkats-client-options';
export { KafkatsConsumerStoppedError } from './kafka/kafkats/kafkats-consumer-stopped-error';
