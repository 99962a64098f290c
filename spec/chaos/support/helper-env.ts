import { fixConnection } from '../../../lib/kafka/kafkajs/connection-fix';
import { loadKafkajsInternals } from '../../../lib/kafka/kafkajs/kafkajs-internals';
import { fixRejoin } from '../../../lib/kafka/kafkajs/rejoin-fix';
import { directBrokers } from './chaos-broker';

// The real-broker suite's helpers (createTopic, readAll, withAdmin) read KAFKA_BROKERS.
process.env['KAFKA_BROKERS'] = directBrokers().join(',');

// The suite's own kafkajs clients (producer, readers) ride out broker restarts with the
// fixes, whatever RX_KSTREAMS_KAFKAJS_FIXES says for the apps under test.
const internals = loadKafkajsInternals();
fixConnection(internals.Connection);
fixRejoin(internals.ConsumerGroup);
