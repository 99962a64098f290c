import {
  Action,
  Application,
  ConfigError,
  InMemoryKafka,
  type RawRecord,
  singleThreadedRunner,
} from 'rx-kstreams';
import type { KafkaClient } from '../../lib/kafka/client';
import { startApp } from './support/run-app';
import { tappedClient } from './support/tapped-client';
import {
  caughtUp,
  eventually,
  forwardTo,
  numberedProducer,
  scriptedTopology,
  sleep,
  values,
} from './support/scripted-topology';

/** Wraps a client so every record its consumers poll is recorded in poll order. */
const recordingPolls = (client: KafkaClient, polled: RawRecord[]): KafkaClient =>
  tappedClient(client, {
    consumer: (consumer) => {
      const poll = consumer.poll.bind(consumer);
      consumer.poll = async (options) => {
        const records = await poll(options);
        polled.push(...records);
        return records;
      };
    },
  });

describe('singleThreadedRunner', () => {
  it('should process every record in poll order, one at a time, across all partitions', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 4 });
    kafka.produce('in', values('v', 200));
    const polled: RawRecord[] = [];
    const processed: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await sleep(0);
      processed.push(`${raw.partition}:${raw.offset}`);
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
      running -= 1;
    });
    const run = startApp(
      recordingPolls(kafka.client({ groupId: 'g' }), polled),
      topology,
      singleThreadedRunner({ pollTimeoutMs: 5, maxPollRecords: 30 }),
    );

    await eventually(() => kafka.records('out').length === 200);
    await run.stop();

    expect(maxRunning).toBe(1);
    expect(processed).toEqual(polled.map((r) => `${r.partition}:${r.offset}`));
    expect(new Set(polled.map((r) => r.partition)).size).toBe(4);
    expect(kafka.records('out').map((r) => r.value?.toString())).toEqual(
      polled.map((r) => r.value?.toString()),
    );
  });

  it('should be what app.run() uses, and commit every processed offset on shutdown', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    kafka.produce('in', values('v', 50));
    const app = new Application(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
    );
    const controller = new AbortController();
    const done = app.run(controller.signal);

    await eventually(() => kafka.records('out').length === 50);
    expect(app.stats()?.runner).toBe('single-threaded');
    controller.abort();
    await done;

    const ends = kafka.endOffsets('in');
    expect(kafka.committedOffsets('g')).toEqual({ in: ends });
  });

  it('should back off after a failed poll and carry on', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 10));
    kafka.injectPollErrors(3);
    const attempts: number[] = [];
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      singleThreadedRunner({
        pollTimeoutMs: 5,
        pollErrorBackoff: (attempt) => {
          attempts.push(attempt);
          return 5;
        },
      }),
    );
    await eventually(() => kafka.records('out').length === 10);
    await run.stop();
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('should reject the run with the error when the handler fails, committing what finished before it', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 10));
    const boom = new Error('record 4 is bad');
    const topology = scriptedTopology(['in'], (raw, sink) => {
      if (raw.offset === '4') throw boom;
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      singleThreadedRunner({ pollTimeoutMs: 5 }),
    );

    await expect(run.done).rejects.toBe(boom);
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '4' } });
    expect(kafka.records('out')).toHaveLength(4);
  });

  it('should skip a record on continue and still commit past it', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 5));
    const topology = scriptedTopology(['in'], (raw, sink) => {
      if (raw.offset === '2') throw new Error('skip me');
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      singleThreadedRunner({ pollTimeoutMs: 5, errorHandler: () => Action.continue() }),
    );
    await eventually(() => kafka.records('out').length === 4);
    await run.stop();
    expect(kafka.records('out').map((r) => r.value?.toString())).toEqual([
      'v-0',
      'v-1',
      'v-3',
      'v-4',
    ]);
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '5' } });
  });

  it('should not poll again while a batch is still running', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 2 });
    kafka.produce('in', values('v', 300));
    const polled: RawRecord[] = [];
    let processed = 0;
    let worstAhead = 0;
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      await sleep(0);
      processed += 1;
      worstAhead = Math.max(worstAhead, polled.length - processed);
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const run = startApp(
      recordingPolls(kafka.client({ groupId: 'g' }), polled),
      topology,
      singleThreadedRunner({ pollTimeoutMs: 5, maxPollRecords: 20 }),
    );
    await eventually(() => kafka.records('out').length === 300);
    await run.stop();
    expect(worstAhead).toBeLessThan(20);
  });

  it('should poll no further batch after a fatal error', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', values('v', 50));
    let runs = 0;
    const topology = scriptedTopology(['in'], (raw, sink) => {
      runs += 1;
      sink.send(
        { topic: raw.offset === '1' ? 'refused' : 'out', key: raw.key, value: raw.value },
        'SINK',
      );
    });
    kafka.injectProduceErrors(1, { topic: 'refused' });
    const run = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      singleThreadedRunner({ pollTimeoutMs: 5, maxPollRecords: 10 }),
    );
    await expect(run.done).rejects.toThrow(/producing to refused failed/);
    expect(kafka.committedOffsets('g')).toEqual({ in: { 0: '1' } });
    expect(runs).toBe(10); // the refusal is known once the first batch's acks settle
    expect(kafka.records('out')).toHaveLength(9);
  });

  it('should lose nothing while a second instance joins and the first leaves mid-stream', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('in', { partitions: 4 });
    const input = numberedProducer(kafka, 'in');
    const topology = scriptedTopology(['in'], async (raw, sink) => {
      if (Number(raw.offset) % 25 === 0) await sleep(1);
      sink.send({ topic: 'out', key: raw.key, value: raw.value }, 'SINK');
    });
    const options = { pollTimeoutMs: 5, commitIntervalMs: 0, maxPollRecords: 40 };
    const first = startApp(kafka.client({ groupId: 'g' }), topology, singleThreadedRunner(options));
    input.produce(800);
    await eventually(() => kafka.records('out').length > 200);
    const second = startApp(
      kafka.client({ groupId: 'g' }),
      topology,
      singleThreadedRunner(options),
    );
    input.produce(800);
    await eventually(
      () => kafka.groupState('g').filter((m) => m.assignment.length > 0).length === 2,
    );
    await first.stop();
    input.produce(400);
    await eventually(() => caughtUp(kafka, 'g', 'in'), 10000, 'the group caught up');
    await second.stop();

    const outputs = kafka.records('out').map((r) => r.value?.toString());
    expect(new Set(outputs).size).toBe(2000);
    expect(outputs.length - new Set(outputs).size).toBe(0);
  });

  it.each([
    [{ drainTimeoutMs: -1 }, 'drainTimeoutMs'],
    [{ commitIntervalMs: 1.5 }, 'commitIntervalMs'],
    [{ maxPollRecords: 0 }, 'maxPollRecords'],
    [{ pollTimeoutMs: -5 }, 'pollTimeoutMs'],
    [{ errorHandler: 'nope' as never }, 'errorHandler'],
    [{ logger: {} as never }, 'logger'],
  ])('should refuse %j when the factory is built, naming the option', (options, name) => {
    expect(() => singleThreadedRunner(options)).toThrow(ConfigError);
    expect(() => singleThreadedRunner(options)).toThrow(new RegExp(name));
  });
});
