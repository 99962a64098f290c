/**
 * The parts of kafkajs 2.2.4's internals that {@link applyKafkajsFixes} patches, typed as far
 * as the fixes touch them. They are loaded with `require` from the kafkajs that this package
 * resolves, so the patched classes are the ones `import { Kafka } from 'kafkajs'` builds on
 * (the ESM build gets `require` from a `createRequire` banner, see tsup.config.ts).
 */

/** kafkajs `src/network/connection.js`: one TCP connection to a broker, reconnected in place. */
export interface KafkajsConnection {
  socket?: { destroyed?: boolean; destroy(error?: Error): void };
  broker: string;
  chunks: Buffer[];
  bytesBuffered: number;
  bytesNeeded: number;
  isConnected(): boolean;
  connect(): Promise<boolean>;
  processData(data: Buffer): void;
}

/** kafkajs `src/consumer/consumerGroup.js`: a consumer's group membership; a restart makes a new one. */
export interface KafkajsConsumerGroup {
  memberId: string | null;
  /** One per kafkajs consumer (`kafka.consumer()` builds a cluster of its own). */
  readonly cluster: object;
  joinAndSync(): Promise<void>;
  leave(): Promise<void>;
}

/** A kafkajs class whose prototype a fix patches. */
export interface KafkajsClass<T> {
  readonly prototype: T;
}

/** The kafkajs version the fixes were written for and checked against. */
export const FIXED_KAFKAJS_VERSION = '2.2.4';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs exports none of these */
export const loadKafkajsInternals = (): {
  readonly version: string;
  readonly Connection: KafkajsClass<KafkajsConnection>;
  readonly ConsumerGroup: KafkajsClass<KafkajsConsumerGroup>;
} => ({
  version: (require('kafkajs/package.json') as { version: string }).version,
  Connection: require('kafkajs/src/network/connection') as KafkajsClass<KafkajsConnection>,
  ConsumerGroup:
    require('kafkajs/src/consumer/consumerGroup') as KafkajsClass<KafkajsConsumerGroup>,
});
/* eslint-enable @typescript-eslint/no-require-imports */
