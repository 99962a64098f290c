import type { Consumer, KafkaClient, Producer } from '../../../lib/kafka/client';

/** What a spec does to every consumer and producer a tapped client makes. */
export interface Taps {
  readonly consumer?: (consumer: Consumer) => void;
  readonly producer?: (producer: Producer) => void;
}

/**
 * The same client, but each consumer and producer it makes is first handed to `taps`, so a
 * spec can record or replace single methods (poll, resume, connect, close).
 */
export const tappedClient = (base: KafkaClient, taps: Taps): KafkaClient => ({
  groupId: base.groupId,
  createConsumer: () => {
    const consumer = base.createConsumer();
    taps.consumer?.(consumer);
    return consumer;
  },
  createProducer: () => {
    const producer = base.createProducer();
    taps.producer?.(producer);
    return producer;
  },
});
