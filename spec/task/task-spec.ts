import * as O from 'fp-ts/lib/Option.js';
import { asyncScheduler, Observable, type Subscription } from 'rxjs';
import { Action } from '../../lib/errorhandler/action';
import type { ErrorContext } from '../../lib/errorhandler/error-context';
import type { ErrorHandler } from '../../lib/errorhandler/error-handler';
import { ProductionError } from '../../lib/errors/production-error';
import type { Producer, ProducerRecord, RecordMetadata } from '../../lib/kafka/client';
import { forEach } from '../../lib/kstream/operators/for-each';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import { noopLogger } from '../../lib/logger/logger';
import { StreamTask } from '../../lib/task/stream-task';
import type { RecordSink, TopologyTask } from '../../lib/topology/topology-task';
import { eventually } from '../runner/support/scripted-topology';
import { raw, taskInfo, text } from '../topology/fixtures';

const info = taskInfo('in', 0);

/** A producer whose sends wait until the spec settles them, in order. */
class HeldProducer implements Producer {
  readonly sends: { record: ProducerRecord; ok: () => void; refuse: (e: Error) => void }[] = [];
  connect = (): Promise<void> => Promise.resolve();
  flush = (): Promise<void> => Promise.resolve();
  close = (): Promise<void> => Promise.resolve();
  progress = () => ({ sent: this.sends.length, settled: 0 });
  send(record: ProducerRecord): Promise<RecordMetadata> {
    return new Promise((resolve, reject) => {
      const metadata = { topic: record.topic, partition: 0, offset: String(this.sends.length) };
      this.sends.push({ record, ok: () => resolve(metadata), refuse: reject });
    });
  }
  get values(): string[] {
    return this.sends.map((s) => String(s.record.value));
  }
}

const flushPromises = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const upperTopology = (fn: (v: string) => string | Promise<string> = (v) => v.toUpperCase()) => {
  const builder = new StreamsBuilder();
  builder
    .stream('in', { value: text })
    .pipe(mapValues((v: string | null) => fn(v ?? '')))
    .to('out', { value: text });
  return builder.build();
};

const makeTask = (
  producer: Producer,
  options: { handler?: ErrorHandler; topology?: TopologyTask; onFatal?: (e: Error) => void } = {},
): StreamTask =>
  new StreamTask(info, options.topology ?? upperTopology().createTask(info), {
    send: (record) => producer.send(record),
    handlerFor: () => options.handler ?? (() => Action.fail()),
    scheduler: asyncScheduler,
    logger: noopLogger,
    now: () => 0,
    onFatal: options.onFatal ?? (() => undefined),
  });

interface Watched {
  completed: boolean;
  error: unknown;
  subscription: Subscription;
}

const watch = (work: Observable<never>): Watched => {
  const watched: Watched = { completed: false, error: undefined } as Watched;
  watched.subscription = work.subscribe({
    complete: () => (watched.completed = true),
    error: (e: unknown) => (watched.error = e),
  });
  return watched;
};

const record = (offset: number, value = 'v') => raw('in', 'k', value, { offset: String(offset) });

describe('Task', () => {
  it('should release a synchronous record at once and finish it only when its output is acknowledged', async () => {
    const producer = new HeldProducer();
    const task = makeTask(producer);
    task.admit(record(7));

    const run = watch(task.run(record(7)));

    expect(run.completed).toBe(true);
    expect(producer.values).toEqual(['V']);
    expect(task.running).toBe(1);
    expect(task.tracker.committable()).toEqual(O.none);

    producer.sends[0]!.ok();
    await flushPromises();

    expect(task.running).toBe(0);
    expect(task.queueDepth).toBe(0);
    expect(task.tracker.committable()).toEqual(O.some('8'));
  });

  it('should finish a record with no output at once', () => {
    const producer = new HeldProducer();
    const builder = new StreamsBuilder();
    builder.stream('in').pipe(forEach(() => undefined));
    const task = makeTask(producer, { topology: builder.build().createTask(info) });
    task.admit(record(3));

    const run = watch(task.run(record(3)));

    expect(run.completed).toBe(true);
    expect(task.running).toBe(0);
    expect(task.tracker.committable()).toEqual(O.some('4'));
  });

  it('should finish records out of order but commit only the contiguous prefix', async () => {
    const producer = new HeldProducer();
    const task = makeTask(producer);
    for (const offset of [0, 1, 2]) {
      task.admit(record(offset));
      watch(task.run(record(offset)));
    }

    producer.sends[1]!.ok();
    producer.sends[2]!.ok();
    await flushPromises();
    expect(task.tracker.committable()).toEqual(O.none);
    expect(task.running).toBe(1);

    producer.sends[0]!.ok();
    await flushPromises();
    expect(task.tracker.committable()).toEqual(O.some('3'));
  });

  it('should send only the refused outputs again when the handler says retry', async () => {
    const producer = new HeldProducer();
    const builder = new StreamsBuilder();
    const stream = builder.stream('in', { value: text });
    stream.to('a', { value: text });
    stream.to('b', { value: text });
    const seen: ErrorContext[] = [];
    const task = makeTask(producer, {
      topology: builder.build().createTask(info),
      handler: (ec) => {
        seen.push(ec);
        return Action.retry(0);
      },
    });
    task.admit(record(0, 'x'));
    watch(task.run(record(0, 'x')));

    producer.sends[0]!.ok();
    producer.sends[1]!.refuse(new Error('broker down'));
    await eventually(() => producer.sends.length === 3, 5000, 'the re-send');

    expect(producer.sends.map((s) => s.record.topic)).toEqual(['a', 'b', 'b']);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.phase).toBe('production');
    expect(seen[0]!.error).toBeInstanceOf(ProductionError);
    expect(seen[0]!.nodeName).toMatch(/^SINK-/);
    expect(task.tracker.committable()).toEqual(O.none);

    producer.sends[2]!.ok();
    await flushPromises();
    expect(task.tracker.committable()).toEqual(O.some('1'));
  });

  it('should report a refusal the handler fails as fatal, after the record was released', async () => {
    const producer = new HeldProducer();
    const fatal: Error[] = [];
    const task = makeTask(producer, { onFatal: (e) => fatal.push(e) });
    task.admit(record(0));
    const run = watch(task.run(record(0)));

    producer.sends[0]!.refuse(new Error('not leader'));
    await flushPromises();

    expect(run.completed).toBe(true);
    expect(run.error).toBeUndefined();
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toBeInstanceOf(ProductionError);
    expect(task.running).toBe(0);
    expect(task.tracker.committable()).toEqual(O.none);
  });

  it('should error the inner pipeline when processing fails and the handler says fail', () => {
    const producer = new HeldProducer();
    const boom = new Error('boom');
    const task = makeTask(producer, {
      topology: upperTopology(() => {
        throw boom;
      }).createTask(info),
    });
    task.admit(record(0));

    const run = watch(task.run(record(0)));

    expect(run.completed).toBe(false);
    expect((run.error as Error & { cause?: unknown }).cause).toBe(boom);
    expect(task.running).toBe(0);
    expect(producer.sends).toHaveLength(0);
  });

  it('should re-run processing from the source when the handler retries a processing failure', async () => {
    const producer = new HeldProducer();
    let calls = 0;
    const task = makeTask(producer, {
      topology: upperTopology((v) => {
        calls += 1;
        if (calls < 3) throw new Error(`attempt ${calls}`);
        return v.toUpperCase();
      }).createTask(info),
      handler: () => Action.retry(0),
    });
    task.admit(record(0, 'ok'));

    const run = watch(task.run(record(0, 'ok')));
    await eventually(() => run.completed || run.error !== undefined, 5000, 'the third attempt');

    expect(calls).toBe(3);
    expect(run.completed).toBe(true);
    expect(producer.values).toEqual(['OK']);
  });

  it('should abandon a record whose inner pipeline is unsubscribed before it is released', async () => {
    const producer = new HeldProducer();
    let resolveCall!: (v: string) => void;
    const task = makeTask(producer, {
      topology: upperTopology(
        () => new Promise<string>((resolve) => (resolveCall = resolve)),
      ).createTask(info),
    });
    task.admit(record(0));
    const run = watch(task.run(record(0)));
    expect(task.running).toBe(1);

    run.subscription.unsubscribe();
    resolveCall('late');
    await flushPromises();

    expect(task.running).toBe(0);
    expect(producer.sends).toHaveLength(0);
    expect(task.tracker.committable()).toEqual(O.none);
  });

  it('should leave the offsets of abandoned records uncommitted even when their acks arrive later', async () => {
    const producer = new HeldProducer();
    const task = makeTask(producer);
    const changes: number[] = [];
    task.changes$.subscribe(() => changes.push(task.running));
    for (const offset of [0, 1]) {
      task.admit(record(offset));
      watch(task.run(record(offset)));
    }
    expect(task.running).toBe(2);

    task.abandon();
    producer.sends.forEach((s) => s.ok());
    await flushPromises();

    expect(task.running).toBe(0);
    expect(changes).toContain(0);
    expect(task.tracker.committable()).toEqual(O.none);
  });

  it('should run a topology that is not built by StreamsBuilder through its push', async () => {
    const producer = new HeldProducer();
    const custom: TopologyTask = {
      push: (input, sink: RecordSink) =>
        new Observable<never>((subscriber) => {
          sink.send({ topic: 'custom', key: null, value: input.value, headers: {} }, 'CUSTOM');
          subscriber.complete();
        }),
      close: () => Promise.resolve(),
    };
    const task = makeTask(producer, { topology: custom });
    task.admit(record(0, 'x'));

    const run = watch(task.run(record(0, 'x')));
    producer.sends[0]!.ok();
    await flushPromises();

    expect(run.completed).toBe(true);
    expect(producer.sends[0]!.record.topic).toBe('custom');
    expect(task.tracker.committable()).toEqual(O.some('1'));
  });
});
