// The code of docs/kafka.md, type-checked by the build and quoted by spec/docs/docs-code-spec.ts.
import { readFileSync } from 'node:fs';
import type { KafkaClient } from 'rx-kstreams';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import { kafkatsClient } from 'rx-kstreams/kafkats';

// kafkajs 2.2.4: eager rebalances, fixes for its reconnect faults applied by the adapter.
export const onKafkajs = (): KafkaClient =>
  kafkajsClient({
    brokers: ['127.0.0.1:9092'], // or kafka: new Kafka({ ...ssl, sasl... })
    groupId: 'orders-app',
    consumer: { sessionTimeout: 30_000, heartbeatInterval: 3000 }, // kafkajs ConsumerConfig
    producer: { lingerMs: 0, maxBatchRecords: 1000 },
  });

// @kafkats/client 0.12: cooperative rebalances, an awaited revocation, TLS and SASL.
export const onKafkats = (): KafkaClient =>
  kafkatsClient({
    brokers: ['kafka-1.example.com:9093'],
    groupId: 'orders-app',
    tls: { ca: readFileSync('/etc/kafka/ca.pem') },
    sasl: {
      mechanism: 'SCRAM-SHA-512',
      username: 'orders-app',
      password: process.env['KAFKA_PASSWORD'] ?? '',
    },
    consumer: { sessionTimeoutMs: 30_000, heartbeatIntervalMs: 3000 },
    producer: { lingerMs: 5, compression: 'gzip' },
  });

// One switch for the whole application: the topology and runner do not change.
export const pickClient = (name: string | undefined): KafkaClient =>
  name === 'kafkats' ? onKafkats() : onKafkajs();
