import { lastValueFrom, of, Subject, takeUntil, toArray } from 'rxjs';
import {
  Action,
  Application,
  filter,
  fixedBackoff,
  InMemoryKafka,
  mapValues,
  partitionedRunner,
  type Processor,
  process,
  type RecordContext,
  Serdes,
  singleThreadedRunner,
  StreamsBuilder,
  type StreamRecord,
  withDLQ,
  withMaxAttempts,
} from 'rx-kstreams';
import { type Order, withRate } from '../../examples/runners';
import { recordingLogger } from '../support/recording-logger';
import { eventually, scriptedTopology, sleep, values } from './support/scripted-topology';

/** Resolves with the signal's reason once it aborts: a callback that only cancellation ends. */
const untilAborted = (signal: AbortSignal): Promise<never> =>
  new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

const record = (value: string): StreamRecord<string, string> => ({
  topic: 'in',
  partition: 0,
  offset: '7',
  timestamp: 0,
  headers: {},
  key: 'k',
  value,
});

describe('cancellation', () => {
  describe('a retry wait on shutdown', () => {
    it.each([
      ['partitionedRunner', partitionedRunner],
      ['singleThreadedRunner', singleThreadedRunner],
    ] as const)(
      '%s should give up a record waiting out a 10 s backoff at once, leaving it and the rest to be read again',
      async (_name, runner) => {
        const kafka = new InMemoryKafka();
        kafka.produce('in', values('v', 4));
        let failures = 0;
        const failing = scriptedTopology(['in'], (raw, sink) => {
          if (raw.offset === '1') {
            failures += 1;
            throw new Error('downstream service is down');
          }
          sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
        });
        const logger = recordingLogger();
        const app = new Application(kafka.client({ groupId: 'g' }), failing);
        const done = app.runWith(
          undefined,
          runner({
            pollTimeoutMs: 5,
            logger,
            errorHandler: withMaxAttempts(3, fixedBackoff(10_000), withDLQ('dlq')),
          }),
        );
        await eventually(() => failures === 1);
        app.close();
        // Jest's 5 s timeout fails this if the 10 s backoff is waited out.
        await done;

        expect(failures).toBe(1);
        expect(kafka.records('dlq')).toHaveLength(0);
        expect(kafka.records('out').map((r) => r.value?.toString())).toEqual(['v-0']);
        expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '1' } });
        expect(logger.entries).toContainEqual(
          expect.objectContaining({
            level: 'info',
            message: expect.stringMatching(/^record given up/),
            fields: expect.objectContaining({ offset: '1', waitMs: 10_000 }),
          }),
        );

        // The next run reads the record given up, and what was queued behind it.
        const healthy = scriptedTopology(['in'], (raw, sink) => {
          sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
        });
        const next = new Application(kafka.client({ groupId: 'g' }), healthy);
        const nextDone = next.runWith(undefined, runner({ pollTimeoutMs: 5 }));
        await eventually(() => kafka.records('out').length === 4);
        next.close();
        await nextDone;
        expect(kafka.records('out').map((r) => r.value?.toString())).toEqual([
          'v-0',
          'v-1',
          'v-2',
          'v-3',
        ]);
        expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '4' } });
      },
    );

    it('should give up a record waiting for its delayed fallback (Action.after) at once', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('in', values('v', 1));
      let failures = 0;
      const failing = scriptedTopology(['in'], () => {
        failures += 1;
        throw new Error('down');
      });
      const app = new Application(kafka.client({ groupId: 'g' }), failing);
      const done = app.runWith(
        undefined,
        partitionedRunner({
          pollTimeoutMs: 5,
          errorHandler: withMaxAttempts(1, fixedBackoff(10_000), withDLQ('dlq')),
        }),
      );
      await eventually(() => failures === 1);
      app.close();
      await done;
      expect(kafka.records('dlq')).toHaveLength(0);
      expect(kafka.committedOffsets('g')).toEqual({});
    });
  });

  it('should give up a record waiting for a retry when its partition is revoked, so the new owner reads it without waiting for the drain', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    kafka.produce('in', [
      { key: 'a', value: 'a', partition: 0 },
      { key: 'b', value: 'b', partition: 1 },
    ]);
    const failed = new Set<number>();
    const failing = scriptedTopology(['in'], (raw) => {
      failed.add(raw.partition);
      throw new Error('down');
    });
    const forwarding = scriptedTopology(['in'], (raw, sink) => {
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    // The revoked partition's drain would wait workerShutdownTimeoutMs (30 s) for the retry.
    const options = { pollTimeoutMs: 5, errorHandler: () => Action.retry(60_000) };
    const first = new Application(kafka.client({ groupId: 'g' }), failing);
    const firstDone = first.runWith(undefined, partitionedRunner(options));
    await eventually(() => failed.size === 2);
    const second = new Application(kafka.client({ groupId: 'g' }), forwarding);
    const secondDone = second.runWith(undefined, partitionedRunner({ pollTimeoutMs: 5 }));
    await eventually(() => kafka.records('out').length === 1, 4000, 'the revoked partition read');
    // The first one's other partition moves over once it leaves.
    first.close();
    await firstDone;
    await eventually(() => kafka.records('out').length === 2, 4000, 'the other partition read');
    second.close();
    await secondDone;
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '1', 1: '1' } });
  });

  describe('the signal a callback gets', () => {
    it.each([
      ['partitionedRunner', partitionedRunner],
      ['singleThreadedRunner', singleThreadedRunner],
    ] as const)(
      '%s should abort it when a forced stop abandons the record, with a reason naming the record',
      async (_name, runner) => {
        const kafka = new InMemoryKafka();
        kafka.produce('in', values('v', 2));
        const reasons: unknown[] = [];
        const builder = new StreamsBuilder();
        builder
          .stream('in', { key: Serdes.string(), value: Serdes.string() })
          .pipe(
            mapValues(async (_value, _record, { signal }) => {
              try {
                return await untilAborted(signal);
              } catch (reason) {
                reasons.push(reason);
                throw reason;
              }
            }),
          )
          .to('out', { key: Serdes.string(), value: Serdes.string() });
        const app = new Application(kafka.client({ groupId: 'g' }), builder.build());
        const done = app.runWith(undefined, runner({ pollTimeoutMs: 5 }));
        await sleep(50);
        expect(reasons).toHaveLength(0);
        app.close();
        app.close(); // a second Ctrl-C
        await done;
        expect(reasons).toHaveLength(1);
        expect(reasons[0]).toBeInstanceOf(DOMException);
        expect(reasons[0]).toMatchObject({
          name: 'AbortError',
          message: expect.stringContaining('topic in, partition 0, offset 0 was abandoned'),
        });
        expect(kafka.committedOffsets('g')).toEqual({});
      },
    );

    it('should abort it when the drain runs out of time, and never for a record that finished', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('in', values('v', 3));
      const signals: AbortSignal[] = [];
      const builder = new StreamsBuilder();
      builder
        .stream('in', { key: Serdes.string(), value: Serdes.string() })
        .pipe(
          mapValues((value, record, { signal }) => {
            signals.push(signal);
            return record.offset === '2' ? untilAborted(signal) : value;
          }),
        )
        .to('out', { key: Serdes.string(), value: Serdes.string() });
      const app = new Application(kafka.client({ groupId: 'g' }), builder.build());
      const done = app.runWith(
        undefined,
        partitionedRunner({ pollTimeoutMs: 5, workerShutdownTimeoutMs: 50 }),
      );
      await eventually(() => signals.length === 3);
      app.close();
      await done;
      expect(signals.map((s) => s.aborted)).toEqual([false, false, true]);
      expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '2' } });
    });

    it('should stop the rate lookup of docs/runners.md when its record is abandoned', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('orders', [{ key: 'o1', value: '{"id":"o1","currency":"EUR"}' }]);
      const lookups: AbortSignal[] = [];
      const builder = new StreamsBuilder();
      builder
        .stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() })
        .pipe(
          filter((_key, order): order is Order => order !== null),
          withRate((_currency, signal) => {
            lookups.push(signal);
            return untilAborted(signal);
          }),
        )
        .to('orders.rated', { key: Serdes.string(), value: Serdes.json() });
      const app = new Application(kafka.client({ groupId: 'g' }), builder.build());
      const done = app.runWith(
        undefined,
        partitionedRunner({ pollTimeoutMs: 5, workerShutdownTimeoutMs: 20 }),
      );
      await eventually(() => lookups.length === 1);
      app.close();
      await done;
      expect(lookups[0]!.aborted).toBe(true);
      expect(kafka.records('orders.rated')).toHaveLength(0);
      expect(kafka.committedOffsets('g')).toEqual({});
    });

    it('should reach a branch predicate as its last argument', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('in', values('v', 1));
      const seen: AbortSignal[] = [];
      const builder = new StreamsBuilder();
      const { all } = builder
        .stream('in', { key: Serdes.string(), value: Serdes.string() })
        .branch({
          all: (_key, _value, _record, { signal }) => {
            seen.push(signal);
            return true;
          },
        });
      all.to('out', { key: Serdes.string(), value: Serdes.string() });
      const app = new Application(kafka.client({ groupId: 'g' }), builder.build());
      const done = app.runWith(undefined, partitionedRunner({ pollTimeoutMs: 5 }));
      await eventually(() => kafka.records('out').length === 1);
      app.close();
      await done;
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(AbortSignal);
      expect(seen[0]!.aborted).toBe(false);
    });

    it("should reach a processor's process as its second argument", async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('in', values('v', 1));
      const seen: AbortSignal[] = [];
      const waiting = (): Processor<string | null, string | null> => ({
        process: (_record, context) => {
          seen.push(context.signal);
          return untilAborted(context.signal).catch(() => undefined);
        },
      });
      const builder = new StreamsBuilder();
      builder
        .stream('in', { key: Serdes.string(), value: Serdes.string() })
        .pipe(process(waiting))
        .to('out', { key: Serdes.string(), value: Serdes.string() });
      const app = new Application(kafka.client({ groupId: 'g' }), builder.build());
      const done = app.runWith(undefined, partitionedRunner({ pollTimeoutMs: 5 }));
      await eventually(() => seen.length === 1);
      app.close();
      app.close();
      await done;
      expect(seen[0]!.aborted).toBe(true);
    });

    it('should abort it in a standalone operator unsubscribed before the record is done, and not after', async () => {
      const contexts: RecordContext[] = [];
      const stop = new Subject<void>();
      const hanging = lastValueFrom(
        of(record('a')).pipe(
          mapValues((_value, _record, context) => {
            contexts.push(context);
            return untilAborted(context.signal);
          }),
          takeUntil(stop),
          toArray(),
        ),
      );
      await sleep(5);
      expect(contexts[0]!.signal.aborted).toBe(false);
      stop.next();
      await expect(hanging).resolves.toEqual([]);
      expect(contexts[0]!.signal.aborted).toBe(true);

      const finished: RecordContext[] = [];
      const out = await lastValueFrom(
        of(record('b')).pipe(
          mapValues((value, _record, context) => {
            finished.push(context);
            return value.toUpperCase();
          }),
          toArray(),
        ),
      );
      expect(out.map((r) => r.value)).toEqual(['B']);
      expect(finished[0]!.signal.aborted).toBe(false);
    });
  });
});
