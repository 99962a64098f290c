import type { Consumer, Producer } from '../../lib/index';
import { kafkajsClient } from '../../lib/kafkajs';
import { kafkatsClient } from '../../lib/kafkats';
import { pricedRecord } from './orders';

/** Options of the port loop. */
export interface PortLoopOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly input: string;
  readonly output: string;
  /** Records per poll (the runners' default `maxPollRecords`: 500). */
  readonly maxPollRecords?: number;
  /** Commit at most this often, in ms (the runners' default `commitIntervalMs`: 5000). */
  readonly commitIntervalMs?: number;
  /** The client adapter (default kafkajs). */
  readonly client?: 'kafkajs' | 'kafkats';
}

/** Time spent per step of the loop, summed over its polls. */
export interface PortLoopCycle {
  readonly polls: number;
  /** Waiting in `poll()`. */
  readonly pollMs: number;
  /** Deserializing, transforming, serializing and calling `send` (synchronous work). */
  readonly processMs: number;
  /** From the last `send` of a poll until every output of it is acknowledged. */
  readonly ackMs: number;
  readonly commitMs: number;
}

/** A running port loop. */
export interface PortLoop {
  /** Input records whose outputs were acknowledged. */
  readonly handled: () => number;
  /** Where the loop's time went so far: polls made, and ms waiting in each step. */
  readonly cycle: () => PortLoopCycle;
  /** Rejects when the loop fails. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The single-threaded runner's cycle written by hand over the client port (`kafkajsClient` or
 * `kafkatsClient`), without
 * a topology: poll, then per record deserialize, filter, map, serialize and `send`; await the
 * batch's acknowledgements; commit when the interval has passed; poll again. What it reaches
 * is the most a runner can reach through the adapter: the gap to the kafkajs `eachBatch`
 * pipeline is the adapter's, the gap from it to a runner is the runner's and the topology's.
 *
 * @example
 * const loop = startPortLoop({ brokers, groupId, input, output });
 * await loop.stop();
 */
export const startPortLoop = (options: PortLoopOptions): PortLoop => {
  const settings = {
    brokers: options.brokers,
    groupId: options.groupId,
    clientId: 'bench-port',
    logLevel: 'error',
  } as const;
  const client = options.client === 'kafkats' ? kafkatsClient(settings) : kafkajsClient(settings);
  const consumer = client.createConsumer();
  const producer = client.createProducer();
  const maxRecords = options.maxPollRecords ?? 500;
  const commitIntervalMs = options.commitIntervalMs ?? 5000;
  let handled = 0;
  const cycle = { polls: 0, pollMs: 0, processMs: 0, ackMs: 0, commitMs: 0 };
  let stopping = false;
  const stopSignal = new AbortController();
  const done = (async () => {
    await Promise.all([consumer.connect(), producer.connect()]);
    await consumer.subscribe([options.input], {
      onAssigned: () => undefined,
      onRevoked: () => undefined,
    });
    const next = new Map<number, string>();
    let lastCommit = performance.now();
    while (!stopping) {
      const t0 = performance.now();
      const batch = await consumer.poll({ maxRecords, timeoutMs: 1000, signal: stopSignal.signal });
      const t1 = performance.now();
      const acknowledged = handle(batch, producer, options.output, next);
      const t2 = performance.now();
      await acknowledged;
      const t3 = performance.now();
      handled += batch.length;
      if (t3 - lastCommit >= commitIntervalMs) {
        await commit(consumer, options.input, next);
        lastCommit = performance.now();
      }
      cycle.polls += 1;
      cycle.pollMs += t1 - t0;
      cycle.processMs += t2 - t1;
      cycle.ackMs += t3 - t2;
      cycle.commitMs += performance.now() - t3;
    }
    await commit(consumer, options.input, next);
  })();
  return {
    handled: () => handled,
    cycle: () => ({ ...cycle }),
    done,
    stop: async () => {
      stopping = true;
      stopSignal.abort();
      try {
        await done;
      } finally {
        await Promise.allSettled([consumer.close(), producer.close()]);
      }
    },
  };
};

const handle = async (
  batch: Awaited<ReturnType<Consumer['poll']>>,
  producer: Producer,
  output: string,
  next: Map<number, string>,
): Promise<void> => {
  const acks: Promise<unknown>[] = [];
  for (const record of batch) {
    const out = pricedRecord(record, output);
    if (out !== undefined) acks.push(producer.send(out));
    next.set(record.partition, (BigInt(record.offset) + 1n).toString());
  }
  await Promise.all(acks);
};

const commit = async (
  consumer: Consumer,
  topic: string,
  next: ReadonlyMap<number, string>,
): Promise<void> => {
  if (next.size === 0) return;
  await consumer.commit([...next].map(([partition, offset]) => ({ topic, partition, offset })));
};
