import type { ConsumerOptions, KafkaClient } from '../client';
import type { Cluster } from './cluster';
import { InMemoryConsumer } from './in-memory-consumer';
import { InMemoryProducer } from './in-memory-producer';
import { InMemoryInternalTopics } from './in-memory-internal-topics';

/**
 * The client port's {@link KafkaClient} bound to one consumer group of an
 * {@link InMemoryKafka}. Every consumer it creates is a new member of that group.
 *
 * @example
 * const client = kafka.client({ groupId: 'billing' });
 * await new Application(client, topology).run(signal);
 */
export class InMemoryKafkaClient implements KafkaClient {
  /** Made by {@link InMemoryKafka.client}; not for direct use. */
  constructor(
    private readonly cluster: Cluster,
    readonly groupId: string,
    private readonly fromBeginning: boolean,
  ) {}

  /** A member of the group; `coPartitioned` puts partition N of every topic on one member. */
  createConsumer(options?: ConsumerOptions): InMemoryConsumer {
    const group = this.cluster.group(this.groupId);
    return new InMemoryConsumer(this.cluster, group, this.fromBeginning, options?.coPartitioned);
  }

  createProducer(): InMemoryProducer {
    return new InMemoryProducer(this.cluster);
  }

  createInternalTopics(): InMemoryInternalTopics {
    return new InMemoryInternalTopics(this.cluster);
  }
}

/**
 * Which group a client joins and where its members start on a partition that has no
 * committed offset: at 0 (`fromBeginning`, the default) or at the end.
 *
 * @example
 * kafka.client({ groupId: 'billing', fromBeginning: false });
 */
export interface InMemoryClientOptions {
  readonly groupId: string;
  /** Default true. */
  readonly fromBeginning?: boolean | undefined;
}
