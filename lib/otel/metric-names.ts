/**
 * Every metric rx-kstreams records: name, instrument, unit and description. The
 * `messaging.*` ones are the OpenTelemetry messaging conventions' (v1.44.0); the
 * `rx_kstreams.*` ones are the stream processor's own.
 *
 * @example
 * meter.createCounter(METRIC.consumed.name, { unit: METRIC.consumed.unit });
 */
export const METRIC = {
  consumed: {
    name: 'messaging.client.consumed.messages',
    unit: '{message}',
    description: 'Records handed to the application by polls.',
  },
  sent: {
    name: 'messaging.client.sent.messages',
    unit: '{message}',
    description: 'Records the producer acknowledged or refused (error.type set).',
  },
  operationDuration: {
    name: 'messaging.client.operation.duration',
    unit: 's',
    description: 'Duration of polls, sends (until acknowledged) and commits.',
  },
  processDuration: {
    name: 'messaging.process.duration',
    unit: 's',
    description:
      'Duration of one record, from the start of its processing to its outputs acknowledged.',
  },
  errors: {
    name: 'rx_kstreams.errors',
    unit: '{error}',
    description: 'Failures shown to an error handler, by phase.',
  },
  actions: {
    name: 'rx_kstreams.error_handler.actions',
    unit: '{action}',
    description: 'Error handler decisions, by action.',
  },
  retries: {
    name: 'rx_kstreams.retries',
    unit: '{retry}',
    description: 'Records run again after an error handler chose Retry.',
  },
  dlqWrites: {
    name: 'rx_kstreams.dlq.writes',
    unit: '{message}',
    description: 'Dead-letter copies written (acknowledged).',
  },
  tasksActive: {
    name: 'rx_kstreams.tasks.active',
    unit: '{task}',
    description: 'Tasks (assigned input partitions) this instance runs.',
  },
  recordsPending: {
    name: 'rx_kstreams.records.pending',
    unit: '{message}',
    description: 'Records in the partitions’ buffers, not yet done.',
  },
  partitionsPaused: {
    name: 'rx_kstreams.partitions.paused',
    unit: '{partition}',
    description: 'Partitions paused at the consumer because their buffer is full.',
  },
  lag: {
    name: 'rx_kstreams.consumer.lag',
    unit: '{message}',
    description: 'Records in the partition after the committed offset (end offset - committed).',
  },
  recreations: {
    name: 'rx_kstreams.consumer.recreations',
    unit: '{consumer}',
    description: 'Consumers the liveness watchdog replaced because a client stalled.',
  },
} as const;

/** Bucket boundaries (seconds) the conventions advise for the duration histograms. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
] as const;
