import * as O from 'fp-ts/lib/Option.js';
import {
  concat,
  ignoreElements,
  defer,
  finalize,
  groupBy,
  map,
  merge,
  mergeMap,
  type Observable,
  Subject,
  type Subscription,
  tap,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { handlerByPhase } from '../../lib/errorhandler/phase-handlers';
import type { ErrorPhase } from '../../lib/errors/phase';
import { noopLogger } from '../../lib/logger/logger';
import { type RawRecord, topicPartitionKey } from '../../lib/record/stream-record';
import type { SendOutput } from '../../lib/task/record-collector';
import { ordered, requireOrdering } from '../../lib/runner/record-ordering';
import { StreamTask } from '../../lib/task/stream-task';
import { atEndOfTime } from './at-end-of-time';
import { decodeOutputs } from './decode-outputs';
import { EncodedInput, encodeInput } from './encode-input';
import { OutputTopics } from './output-topics';
import { stillInProcess } from './still-in-process';
import type {
  ExpectedRecord,
  ExpectOutputOptions,
  InputOptions,
  OutputOptions,
  RawInput,
  TestInputRecord,
  TestOutputRecord,
} from './test-records';
import type { TestedTopology } from './tested-topology';
import type { TopologyDriverOptions } from './topology-driver-options';
import { TopologyTestError } from './topology-test-error';
import { type SentRecord, VirtualProducer } from './virtual-producer';
import { watchedHandlers } from './watched-handlers';
import { changelogTopic } from '../../lib/state/stores';
import { partitionForKey } from '../../lib/kafka/murmur2';
import { StorePool } from '../../lib/state/store-pool';
import { restoredState } from './restored-state';

/** The changelog topics the topology's stores write (those with logging on). */
const changelogTopics = (topology: TestedTopology, applicationId: string): string[] =>
  (topology.stateStores ?? [])
    .filter((store) => store.logging)
    .map((store) => changelogTopic(applicationId, store.name));

/**
 * Feeds marble diagrams to a topology's input topics and reads its output topics, in the
 * virtual time of a TestScheduler. Made by {@link topologyDriver}; {@link testTopology}
 * hands its methods to your test.
 *
 * @example
 * input('orders', '-a-b-|', { a: { key: 'k1', value: '{"id":1}' }, b: { key: 'k2', value: '{"id":2}' } });
 * expectOutput('ids', '-x-y-|', { x: { key: 'k1', value: '1' }, y: { key: 'k2', value: '2' } });
 */
export interface TopologyDriver {
  /**
   * Writes a record to `topic` at each marble's frame (frames count from the start of the
   * test); `|` ends the input. Values are {@link TestInputRecord}s: text and Buffers as they
   * are, or anything when `options` gives serdes. Every record of one partition goes to that
   * partition's task, in order; each (topic, partition) has its own task.
   */
  input<K = RawInput, V = RawInput>(
    topic: string,
    marbles: string,
    values: Readonly<Record<string, TestInputRecord<NoInfer<K>, NoInfer<V>>>>,
    options?: InputOptions<K, V>,
  ): void;
  /**
   * What the topology writes to `topic`, as it writes it, decoded (`Serdes.string()` for key
   * and value unless `options` says otherwise). Completes when every input has completed and
   * been processed; errors when the error handler fails a record. A topic no sink writes and
   * no record went to (nor named in the `outputTopics` option) fails the run with a
   * TopologyTestError, once virtual time has run out.
   */
  output<K = string | null, V = string | null>(
    topic: string,
    options?: OutputOptions<K, V>,
  ): Observable<TestOutputRecord<K, V>>;
  /**
   * Asserts the diagram of `topic`'s output: frames hold `{ key, value }` (plus `headers`,
   * `partition` or `timestamp` when an expected value names them), `|` when the inputs are
   * done, `#` (`options.error`) when the error handler failed a record. A topic no sink
   * writes and no record went to (nor named in the `outputTopics` option) fails the run
   * with a TopologyTestError instead of comparing, so that a wrong name is not an empty
   * output that passes.
   */
  expectOutput<K = string | null, V = string | null>(
    topic: string,
    marbles: string,
    values?: Readonly<Record<string, ExpectedRecord<NoInfer<K>, NoInfer<V>>>>,
    options?: ExpectOutputOptions<K, V>,
  ): void;
  /**
   * Refuses the next `times` sends to `topic`, as a broker would: the refused outputs are
   * not written, and the production error handler decides (a retry sends them again).
   */
  refuseSends(topic: string, times?: number): void;
  /**
   * What a runner would commit now, per topic and partition: the offset after the last
   * record of the unbroken run of done records (records skipped or dead-lettered count as
   * done; a failed record holds its partition back). The shape of
   * `InMemoryKafka.committedOffsets`.
   */
  committedOffsets(): Record<string, Record<number, string>>;
  /** Input records whose life is running: in processing, or waiting for acknowledgements. */
  readonly running: number;
}

const optionalFields = ['headers', 'partition', 'timestamp'] as const;

/**
 * A {@link TopologyDriver} for `topology` on `scheduler`, to use inside `scheduler.run(...)`
 * when you want your own TestScheduler (else use {@link testTopology}). The topology starts
 * at the current frame, once the run flushes; call `input` before that. When virtual time
 * runs out, before the run compares anything, the driver makes the run throw a
 * TopologyTestError if a record is still in process (a callback returned a Promise) or an
 * output read names a topic the topology does not write.
 *
 * @example
 * const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
 * scheduler.run(() => {
 *   const { input, expectOutput } = topologyDriver(topology, scheduler);
 *   input('words', '-a|', { a: { value: 'hello' } });
 *   expectOutput('upper', '-x|', { x: { key: null, value: 'HELLO' } });
 * });
 */
export const topologyDriver = (
  tested: TestedTopology,
  scheduler: TestScheduler,
  options: TopologyDriverOptions = {},
): TopologyDriver => {
  const logger = options.logger ?? noopLogger;
  const applicationId = options.applicationId ?? 'test';
  // The topology as the application runs it: internal topics named after the application.
  const topology: TestedTopology = tested.forApplication?.(applicationId) ?? tested;
  const repartitions = new Set(topology.repartitionTopics ?? []);
  const repartitionPartitions = options.repartitionPartitions ?? 1;
  const { ordering, maxConcurrency } = requireOrdering(options.ordering, options.maxConcurrency);
  const inputs: Observable<RawRecord>[] = [];
  const outputs = new Subject<SentRecord>();
  let subscription: Subscription | undefined;
  let ended = false;
  const nextOffsets = new Map<string, number>();
  const tasks = new Map<string, StreamTask>();
  // A table's store and a stream joined with it: one store for their tasks of a partition.
  const storePool = new StorePool();
  const restore = restoredState(options.restored, topology.stateStores ?? [], applicationId);
  const producer = new VirtualProducer((sent) => {
    outputs.next(sent);
    readBack(sent);
  });
  const topics = new OutputTopics([
    ...(topology.sinkTopics ?? []),
    ...(options.outputTopics ?? []),
    ...changelogTopics(topology, applicationId),
  ]);
  /** What the topology writes to its repartition topics, read back as their input. */
  const feedback = new Subject<RawRecord>();
  /** Inputs not completed yet, and records admitted whose processing has not ended. */
  let openInputs = 0;
  let unfinished = 0;
  const feedbackIfIdle = (): void => {
    if (openInputs === 0 && unfinished === 0) feedback.complete();
  };
  /** A record written to a repartition topic (not a refused send) is read back at once. */
  const readBack = ({ record }: SentRecord): void => {
    if (!repartitions.has(record.topic)) return;
    const partition = record.key === null ? 0 : partitionForKey(record.key, repartitionPartitions);
    const { key, value, headers, timestamp } = record;
    feedback.next(
      toRaw(record.topic)({ key, value, headers: headers ?? {}, partition, timestamp }),
    );
  };
  const send: SendOutput = (record, nodeName) => {
    topics.sentTo(record.topic);
    return producer.send(record, nodeName);
  };
  /** Records whose processing began and has not ended (done, failed or abandoned). */
  const inProcess = new Set<RawRecord>();
  const asyncHandlers = new Set<ErrorPhase>();
  const handlerFor = watchedHandlers(handlerByPhase(options), (phase) => asyncHandlers.add(phase));
  let started = false;

  const toRaw =
    (topic: string) =>
    (e: EncodedInput): RawRecord => {
      const id = topicPartitionKey({ topic, partition: e.partition });
      const offset = nextOffsets.get(id) ?? 0;
      nextOffsets.set(id, offset + 1);
      const timestamp = e.timestamp ?? scheduler.now();
      return { ...e, topic, offset: String(offset), timestamp };
    };

  // The runners' own task: the same record life, error handling and offset tracking.
  const taskFor = (raw: RawRecord): StreamTask => {
    const id = topicPartitionKey(raw);
    let task = tasks.get(id);
    if (task === undefined) {
      const info = { id, topic: raw.topic, partition: raw.partition };
      const instance = topology.createTask(info, { logger, applicationId, storePool });
      // What the changelogs hold before the test: restored before the task's first record.
      restore(instance.stores ?? []);
      task = new StreamTask(info, instance, {
        send,
        handlerFor,
        scheduler,
        logger,
        now: () => scheduler.now(),
        // A record failed for good after its outputs were handed over (production phase).
        onFatal: (error) => fail(error),
      });
      tasks.set(id, task);
    }
    return task;
  };

  /** The record enters its task's buffer in offset order, as a runner admits it on dispatch. */
  const admit = (raw: RawRecord): void => {
    unfinished += 1;
    taskFor(raw).admit(raw);
  };

  const processRecord = (raw: RawRecord): Observable<never> =>
    defer(() => {
      inProcess.add(raw);
      return taskFor(raw).run(raw);
    }).pipe(
      finalize(() => {
        inProcess.delete(raw);
        unfinished -= 1;
        feedbackIfIdle();
      }),
    );

  /** A record failed for good: every output ends with its error, as a runner stops on it. */
  const fail = (error: unknown): void => {
    if (ended) return;
    ended = true;
    subscription?.unsubscribe();
    outputs.error(error);
    closeTasks();
  };

  const running = (): number => {
    let count = 0;
    for (const task of tasks.values()) count += task.running;
    return count;
  };

  const closeTasks = (): void => {
    for (const [id, task] of tasks) {
      task
        .close()
        .catch((error: unknown) => logger.error('closing a task failed', { task: id, error }));
    }
  };

  const start = (): void => {
    started = true;
    openInputs = inputs.length;
    const ended$ = (input: Observable<RawRecord>): Observable<RawRecord> =>
      input.pipe(
        finalize(() => {
          openInputs -= 1;
          feedbackIfIdle();
        }),
      );
    if (repartitions.size === 0) feedback.complete();
    else if (openInputs === 0) feedbackIfIdle();
    const work = concat(
      merge(...inputs.map(ended$), feedback).pipe(
        groupBy((raw) => topicPartitionKey(raw)),
        mergeMap((partition) =>
          partition.pipe(tap(admit), ordered(ordering, maxConcurrency, processRecord)),
        ),
      ),
      // A partition's pipeline moves on once a record's outputs are handed over; the
      // outputs end when every record is done, as a runner drains before it stops.
      defer(() => merge(...[...tasks.values()].map((t) => t.until(() => t.running === 0)))).pipe(
        ignoreElements(),
      ),
    );
    subscription = work.subscribe({
      error: fail,
      complete: () => {
        ended = true;
        outputs.complete();
        // The last record's concatMap completes when it is released, before its life ends
        // (its acknowledgements, in the same frame): the tasks close once that is done.
        scheduler.schedule(closeTasks);
      },
    });
  };
  scheduler.schedule(start);

  // Virtual time ran out: a record still running waits for a Promise, which settles only
  // after the run has returned; its outputs would be missing from every diagram.
  atEndOfTime(scheduler, () => {
    const left = {
      inProcess: [...inProcess],
      running: running(),
      asyncHandlers: [...asyncHandlers],
    };
    if (left.running > 0 || left.inProcess.length > 0) {
      ended = true;
      subscription?.unsubscribe();
      closeTasks();
      throw stillInProcess(left, topology);
    }
    topics.check();
  });

  const input = <K, V>(
    topic: string,
    marbles: string,
    values: Readonly<Record<string, TestInputRecord<K, V>>>,
    inputOptions: InputOptions<K, V> = {},
  ): void => {
    if (started) {
      throw new TopologyTestError(
        `input('${topic}') came after the test started: give every input first`,
      );
    }
    if (repartitions.has(topic)) {
      throw new TopologyTestError(
        `topic ${topic} is a repartition topic: the topology writes it and reads it back; give the records to the topic before the groupBy`,
      );
    }
    if (!topology.sourceTopics.includes(topic)) {
      throw new TopologyTestError(
        `the topology reads no topic ${topic} (it reads ${topology.sourceTopics.join(', ') || 'none'})`,
      );
    }
    const encoded = encodeInput(topic, values ?? {}, inputOptions);
    // Parsed without values, each next notification's value is its marble character.
    for (const { notification } of TestScheduler.parseMarbles(
      marbles,
      undefined,
      undefined,
      false,
      true,
    )) {
      if (notification.kind === 'E') {
        throw new TopologyTestError(
          `input '${marbles}' of topic ${topic} has '#': inputs cannot fail`,
        );
      }
      if (notification.kind === 'N' && !Object.hasOwn(encoded, String(notification.value))) {
        throw new TopologyTestError(
          `input '${marbles}' of topic ${topic} has marble '${String(notification.value)}' with no value`,
        );
      }
    }
    inputs.push(
      scheduler.createColdObservable<EncodedInput>(marbles, encoded).pipe(map(toRaw(topic))),
    );
  };

  const decoded = <K, V>(
    topic: string,
    outputOptions: OutputOptions<K, V>,
  ): Observable<TestOutputRecord<K, V>> => outputs.pipe(decodeOutputs(topic, outputOptions));

  const output = <K, V>(
    topic: string,
    outputOptions: OutputOptions<K, V> = {},
  ): Observable<TestOutputRecord<K, V>> => {
    topics.readBy(topic, `output('${topic}')`);
    return decoded(topic, outputOptions);
  };

  const expectOutput = <K, V>(
    topic: string,
    marbles: string,
    values?: Readonly<Record<string, ExpectedRecord<K, V>>>,
    expectOptions: ExpectOutputOptions<K, V> = {},
  ): void => {
    const expected: unknown[] = Object.values(values ?? {});
    const compared = optionalFields.filter((field) =>
      expected.some((v) => typeof v === 'object' && v !== null && field in v),
    );
    topics.readBy(topic, `expectOutput('${topic}')`);
    const frames = decoded(topic, expectOptions).pipe(
      map((r) => {
        const frame: Record<string, unknown> = { key: r.key, value: r.value };
        for (const field of compared) frame[field] = r[field];
        return frame;
      }),
    );
    scheduler.expectObservable(frames).toBe(marbles, values, expectOptions.error);
  };

  const committedOffsets = (): Record<string, Record<number, string>> => {
    const committed: Record<string, Record<number, string>> = {};
    for (const task of tasks.values()) {
      const { topic, partition } = task.info;
      const offset = task.tracker.committable();
      if (O.isSome(offset)) (committed[topic] ??= {})[partition] = offset.value;
    }
    return committed;
  };

  return {
    input,
    output,
    expectOutput,
    refuseSends: (topic, times = 1) => producer.refuse(topic, times),
    committedOffsets,
    get running() {
      return running();
    },
  };
};
