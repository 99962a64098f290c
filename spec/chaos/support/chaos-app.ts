// One application process of the chaos suite, started by app-process.ts with its settings in
// the CHAOS_APP environment variable (JSON). It copies keyed, numbered records from the input
// topic to the output topic (dead-lettering bad ones in `bad-records` mode, never finishing
// marked ones in `hang` mode) and prints one JSON line per event on stdout: `started`,
// `stats` every second, `log` for warnings and errors, `stopped` or `failed`.
import {
  Action,
  Application,
  exponentialBackoff,
  fixedBackoff,
  type Logger,
  mapValues,
  partitionedRunner,
  type RunnerFactory,
  Serdes,
  shutdownSignal,
  singleThreadedRunner,
  StreamsBuilder,
  Stores,
  process as processor,
  type KeyValueStore,
  type Processor,
  type ProcessorContext,
  withDLQ,
  withMaxAttempts,
} from 'rx-kstreams';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import { kafkatsClient } from 'rx-kstreams/kafkats';
import type { ChaosAppSettings, SequencedValue } from './chaos-app-settings';

const settings = JSON.parse(process.env['CHAOS_APP'] ?? '{}') as ChaosAppSettings;

const emit = (event: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(`${JSON.stringify({ event, at: Date.now(), ...fields })}\n`);
};

// CHAOS_APP_LOG=debug (inherited from the suite) prints every line, to look into a failure.
const everything = process.env['CHAOS_APP_LOG'] === 'debug';
const logger: Logger = {
  debug: (message, fields) => {
    if (everything) emit('log', { level: 'debug', message, fields });
  },
  info: (message, fields) => {
    if (everything || settings.logInfo === true) emit('log', { level: 'info', message, fields });
  },
  warn: (message, fields) => emit('log', { level: 'warn', message, fields }),
  error: (message, fields) => emit('log', { level: 'error', message, fields }),
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the records' work looked like in this process, printed with every stats line: the most
 * records of one partition working at once, and how often a record began while another of its
 * key was still working (a key's records one at a time says: never).
 */
const work = { mostAtOnceInAPartition: 0, sameKeyOverlaps: 0 };
const workingIn = new Map<number, number>();
const workingKeys = new Map<string, number>();
const count = <K>(counts: Map<K, number>, at: K, by: number): number => {
  const n = (counts.get(at) ?? 0) + by;
  if (n === 0) counts.delete(at);
  else counts.set(at, n);
  return n;
};

/** A record's asynchronous work: `processMs`, plus up to `processJitterMs` at random. */
const doWork = async (key: string, partition: number): Promise<void> => {
  const ms = settings.processMs + Math.random() * (settings.processJitterMs ?? 0);
  if (ms <= 0) return;
  if (count(workingKeys, key, 1) > 1) work.sameKeyOverlaps += 1;
  work.mostAtOnceInAPartition = Math.max(
    work.mostAtOnceInAPartition,
    count(workingIn, partition, 1),
  );
  try {
    await sleep(ms);
  } finally {
    count(workingKeys, key, -1);
    count(workingIn, partition, -1);
  }
};

const builder = new StreamsBuilder();
const source = builder.stream(settings.input, {
  key: Serdes.string(),
  value: Serdes.json<SequencedValue>(),
});
/** `count` mode: each key's running count in the state store `counts`, on every output. */
const counting = (): Processor<string | null, SequencedValue | null> => {
  let context: ProcessorContext<string | null, SequencedValue | null>;
  let counts: KeyValueStore<string, number>;
  return {
    init: (c) => {
      context = c;
      counts = c.stateStore<string, number>('counts');
    },
    process: async (record) => {
      const value = record.value;
      if (value === null) return;
      await doWork(value.key, record.partition);
      const count = (counts.get(value.key) ?? 0) + 1;
      counts.put(value.key, count);
      context.forward({ ...record, value: { ...value, count, by: settings.name } });
    },
  };
};
if (settings.mode === 'count') {
  builder.addStateStore(
    Stores.keyValueStore('counts', { key: Serdes.string(), value: Serdes.json<number>() }),
  );
  source
    .pipe(processor(counting, { stores: ['counts'] }))
    .to(settings.output, { key: Serdes.string(), value: Serdes.json() });
}
if (settings.mode === 'group-count') {
  // Two hops: each record to the repartition topic, then counted there with its changelog.
  const counted = Serdes.json<SequencedValue & { count: number; by: string }>();
  source
    .pipe(
      mapValues(async (value, record) => {
        if (value !== null) await doWork(value.key, record.partition);
        return value;
      }),
    )
    .groupBy((_key, value) => value?.key ?? null, {
      key: Serdes.string(),
      value: Serdes.json<SequencedValue>(),
    })
    .aggregate(
      () => ({ count: 0 }),
      (_key, value, counts) => ({ ...value!, count: counts.count + 1, by: settings.name }),
      { store: 'counts', value: counted as never },
    )
    .toStream()
    .to(settings.output, { key: Serdes.string(), value: Serdes.json() });
}
if (settings.mode !== 'count' && settings.mode !== 'group-count')
  source
    .pipe(
      mapValues(async (value, record) => {
        if (value === null) return value;
        if (settings.mode === 'bad-records' && value.fail === true) {
          throw new Error(`record ${value.id} is marked to fail`);
        }
        if (settings.mode === 'hang' && value.hang === true) {
          emit('hanging', { id: value.id });
          return new Promise<SequencedValue>(() => undefined);
        }
        await doWork(value.key, record.partition);
        return { ...value, by: settings.name };
      }),
    )
    .to(settings.output, { key: Serdes.string(), value: Serdes.json() });

const recordHandler =
  settings.dlq === undefined
    ? withMaxAttempts(3, fixedBackoff(100), () => Action.fail())
    : withMaxAttempts(3, fixedBackoff(50), withDLQ(settings.dlq));
const common = {
  logger,
  serdeErrorHandler: recordHandler,
  processingErrorHandler: recordHandler,
  // A broker out of reach is waited out: its sends are retried until it answers.
  productionErrorHandler: () => Action.retry(500),
  pollErrorBackoff: exponentialBackoff({ initialMs: 200, maxMs: 2000, multiplier: 2, jitter: 0 }),
  commitIntervalMs: 500,
  ...(settings.livenessTimeoutMs === undefined
    ? {}
    : { livenessTimeoutMs: settings.livenessTimeoutMs }),
};
const runner: RunnerFactory =
  settings.runner === 'partitioned'
    ? partitionedRunner({
        ...common,
        channelBufferSize: 50,
        workerShutdownTimeoutMs: settings.shutdownTimeoutMs ?? 10_000,
        drainTimeoutMs: settings.shutdownTimeoutMs ?? 10_000,
        ...(settings.ordering === undefined ? {} : { ordering: settings.ordering }),
        ...(settings.maxConcurrency === undefined
          ? {}
          : { maxConcurrency: settings.maxConcurrency }),
      })
    : singleThreadedRunner({ ...common, drainTimeoutMs: settings.shutdownTimeoutMs ?? 10_000 });

// KAFKA_CLIENT (inherited from the suite) picks the client adapter under test.
const client =
  process.env['KAFKA_CLIENT'] === 'kafkats'
    ? kafkatsClient({
        brokers: settings.brokers,
        groupId: settings.groupId,
        clientId: settings.name,
        logger,
        ...(settings.sessionTimeoutMs === undefined
          ? {}
          : { consumer: { sessionTimeoutMs: settings.sessionTimeoutMs } }),
      })
    : kafkajsClient({
        brokers: settings.brokers,
        groupId: settings.groupId,
        clientId: settings.name,
        logger,
        ...(settings.sessionTimeoutMs === undefined
          ? {}
          : { consumer: { sessionTimeout: settings.sessionTimeoutMs } }),
      });

const app = new Application(client, builder.build());
const signal = shutdownSignal();
const stats = setInterval(() => emit('stats', { stats: app.stats(), work }), 1000);
emit('started', { pid: process.pid });
app.runWith(signal, runner).then(
  () => {
    clearInterval(stats);
    emit('stopped', { stats: app.stats(), work });
    process.exit(0);
  },
  (error: unknown) => {
    clearInterval(stats);
    emit('failed', {
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    process.exit(1);
  },
);
