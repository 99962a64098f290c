import { ProcessingError } from '../../lib/errors/processing-error';
import { SerdeError } from '../../lib/errors/serde-error';
import { DEFAULT_BRANCH } from '../../lib/kstream/default-branch';
import { filter } from '../../lib/kstream/operators/filter';
import { flatMapValues } from '../../lib/kstream/operators/flat-map-values';
import { forEach } from '../../lib/kstream/operators/for-each';
import { map } from '../../lib/kstream/operators/map';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { peek } from '../../lib/kstream/operators/peek';
import { process } from '../../lib/kstream/operators/process';
import { to } from '../../lib/kstream/operators/to';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import type { Logger } from '../../lib/logger/logger';
import type { Serde } from '../../lib/serde/serde';
import { Serdes } from '../../lib/serde/serdes';
import type { RecordSink } from '../../lib/topology/topology-task';
import {
  CollectingSink,
  completesSynchronously,
  failingSerde,
  failureOf,
  raw,
  run,
  taskInfo,
  text,
} from './fixtures';

const info = taskInfo('in', 3);

describe('Topology.createTask', () => {
  describe('process', () => {
    it('should run a record through every node and hand the outputs to the sink', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in', { key: text, value: text }).pipe(
        filter((_k, v) => v !== 'skip'),
        map((k, v) => ({ key: v, value: k })),
        to('out', { key: text, value: text }),
      );
      const task = builder.build().createTask(info);
      const sink = new CollectingSink();

      await run(task.process(raw('in', 'k1', 'v1'), sink));
      await run(task.process(raw('in', 'k2', 'skip'), sink));

      expect(sink.sent).toEqual([
        { topic: 'out', key: 'v1', value: 'k1', nodeName: 'SINK-0000000004' },
      ]);
    });

    it('should complete synchronously when every callback is synchronous', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        peek(() => undefined),
        to('out'),
      );
      const sink = new CollectingSink();

      const done = completesSynchronously(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), sink),
      );

      expect(done).toBe(true);
      expect(sink.sent).toHaveLength(1);
    });

    it('should wait for async callbacks and keep output order', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in', { value: text }).pipe(
        flatMapValues(async (v) => (v ?? '').split(',')),
        mapValues(async (v) => {
          await new Promise((resolve) => setTimeout(resolve, v === 'slow' ? 5 : 0));
          return v;
        }),
        to('out', { value: text }),
      );
      const sink = new CollectingSink();
      const work = builder
        .build()
        .createTask(info)
        .process(raw('in', null, 'slow,fast'), sink);
      let done = false;

      const finished = run(work).then(() => (done = true));
      expect(done).toBe(false);
      await finished;

      expect(sink.sent.map((s) => s.value)).toEqual(['slow', 'fast']);
    });

    it('should go on synchronously after an async node, keeping the order of every output', async () => {
      const builder = new StreamsBuilder();
      const branches = builder
        .stream('in', { value: text })
        .pipe(
          flatMapValues((v) => (v ?? '').split(',')),
          mapValues(async (v) => {
            await new Promise((resolve) => setTimeout(resolve, v.startsWith('slow') ? 5 : 0));
            return v.toUpperCase();
          }),
        )
        .branch({ fast: (_k, v) => v.startsWith('FAST'), other: DEFAULT_BRANCH });
      branches.fast!.to('fast', { value: text });
      branches.other!.pipe(
        peek(() => undefined),
        to('other', { value: text }),
      );
      const sink = new CollectingSink();

      await run(
        builder
          .build()
          .createTask(info)
          .process(raw('in', null, 'slow-1,fast-2,slow-3,fast-4'), sink),
      );

      expect(sink.sent.map((s) => `${s.topic}:${String(s.value)}`)).toEqual([
        'other:SLOW-1',
        'fast:FAST-2',
        'other:SLOW-3',
        'fast:FAST-4',
      ]);
    });

    it('should emit no values, only completion', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('out');
      const values: unknown[] = [];

      await new Promise<void>((resolve) =>
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), new CollectingSink())
          .subscribe({ next: (v) => values.push(v), complete: resolve }),
      );

      expect(values).toEqual([]);
    });

    it('should fan out to every child, each child done before the next starts', async () => {
      const seen: string[] = [];
      const builder = new StreamsBuilder();
      const stream = builder.stream('in', { value: text });
      stream.pipe(
        mapValues(async (v) => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          seen.push(`first:${v}`);
          return v;
        }),
        to('a', { value: text }),
      );
      stream.pipe(forEach((_k, v) => void seen.push(`second:${v}`)));
      stream.pipe(to('b', { value: text }));
      const sink = new CollectingSink();

      await run(
        builder
          .build()
          .createTask(info)
          .process(raw('in', null, 'x'), sink),
      );

      expect(seen).toEqual(['first:x', 'second:x']);
      expect(sink.sent.map((s) => s.topic)).toEqual(['a', 'b']);
    });

    it('should route each record to the first branch whose predicate holds, else the default', async () => {
      const builder = new StreamsBuilder();
      const { small, big, rest } = builder.stream('in', { value: text }).branch({
        small: (_k, v) => Number(v) < 10,
        big: async (_k, v) => Number(v) < 100,
        rest: DEFAULT_BRANCH,
      });
      small.to('small', { value: text });
      big.to('big', { value: text });
      rest.to('rest', { value: text });
      const task = builder.build().createTask(info);
      const sink = new CollectingSink();

      for (const value of ['5', '50', '500', '7'])
        await run(task.process(raw('in', null, value), sink));

      expect(sink.sent.map((s) => `${s.topic}:${s.value}`)).toEqual([
        'small:5',
        'big:50',
        'rest:500',
        'small:7',
      ]);
    });

    it('should take a DEFAULT_BRANCH given before other branches only for records no predicate took', async () => {
      const builder = new StreamsBuilder();
      const { rest, even } = builder.stream('in', { value: text }).branch({
        rest: DEFAULT_BRANCH,
        even: (_k, v) => Number(v) % 2 === 0,
      });
      rest.to('rest', { value: text });
      even.to('even', { value: text });
      const task = builder.build().createTask(info);
      const sink = new CollectingSink();

      await run(task.process(raw('in', null, '2'), sink));
      await run(task.process(raw('in', null, '3'), sink));

      expect(sink.sent.map((s) => `${s.topic}:${s.value}`)).toEqual(['even:2', 'rest:3']);
    });

    it('should drop a record no branch takes when there is no default', async () => {
      const builder = new StreamsBuilder();
      const { even } = builder
        .stream('in', { value: text })
        .branch({ even: (_k, v) => Number(v) % 2 === 0 });
      even.to('even', { value: text });
      const sink = new CollectingSink();

      await run(
        builder
          .build()
          .createTask(info)
          .process(raw('in', null, '3'), sink),
      );

      expect(sink.sent).toEqual([]);
    });

    it('should run the source of the task’s topic, with its own serdes, among several sources', async () => {
      const upper = {
        ...text,
        deserialize: (_t: string, d: Buffer | null) => String(d).toUpperCase(),
      };
      const builder = new StreamsBuilder();
      builder.stream(['a', 'b'], { value: text }).to('ab-out', { value: text });
      builder.stream('c', { value: upper }).to('c-out', { value: text });
      const topology = builder.build();
      // A task serves one topic-partition: it runs the source of its topic, and only that.
      const taskOf = (topic: string) =>
        topology.createTask({ id: `${topic}:0`, topic, partition: 0 });
      const sink = new CollectingSink();

      await run(taskOf('b').process(raw('b', null, 'from b'), sink));
      await run(taskOf('c').process(raw('c', null, 'from c'), sink));
      expect(() => taskOf('b').push(raw('c', null, 'from c'), sink)).toThrow(
        'no source node of task b:0 reads topic c (the task reads: a, b)',
      );

      expect(sink.sent).toEqual([
        { topic: 'ab-out', key: null, value: 'from b', nodeName: 'SINK-0000000002' },
        { topic: 'c-out', key: null, value: 'FROM C', nodeName: 'SINK-0000000004' },
      ]);
    });

    it('should pass bytes through when no serde is given', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('out');
      const sink = new CollectingSink();
      const input = raw('in', 'k', 'v');

      await run(builder.build().createTask(info).process(input, sink));

      expect(sink.records[0]?.record.key).toBe(input.key);
      expect(sink.records[0]?.record.value).toBe(input.value);
    });

    it('should carry headers and timestamp to the sink', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in', { value: text }).pipe(
        mapValues((v) => `${v}!`),
        to('out', { value: text }),
      );
      const sink = new CollectingSink();
      const headers = { trace: Buffer.from('abc'), empty: undefined };

      await run(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v', { headers, timestamp: 42 }), sink),
      );

      expect(sink.records[0]?.record).toEqual({
        topic: 'out',
        key: Buffer.from('k'),
        value: Buffer.from('v!'),
        headers,
        timestamp: 42,
      });
    });

    it('should let tombstones (null values) flow through to the sink', async () => {
      const seen: unknown[] = [];
      const builder = new StreamsBuilder();
      builder.stream('in', { key: text, value: text }).pipe(
        peek((_k, v) => void seen.push(v)),
        to('out', { key: text, value: text }),
      );
      const sink = new CollectingSink();

      await run(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', null), sink),
      );

      expect(seen).toEqual([null]);
      expect(sink.records[0]?.record.value).toBeNull();
      expect(sink.sent[0]?.key).toBe('k');
    });

    it('should write where a topic name extractor says', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in', { value: text }).to(async (_k, v) => `out-${v}`, { value: text });
      const sink = new CollectingSink();

      await run(
        builder
          .build()
          .createTask(info)
          .process(raw('in', null, 'eu'), sink),
      );

      expect(sink.sent[0]?.topic).toBe('out-eu');
    });

    it('should fail a record of a topic no source reads', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('out');

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('other', 'k', 'v'), new CollectingSink()),
      );

      expect(error).toEqual(
        new Error('no source node of task in:3 reads topic other (the task reads: in)'),
      );
    });
  });

  describe('serde errors', () => {
    it('should fail with a SerdeError naming the source, partition, offset and key', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in', { key: failingSerde<Buffer | null>(new Error('bad key')) }).to('out');

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v', { partition: 3, offset: '17' }), new CollectingSink()),
      );

      expect(error).toBeInstanceOf(SerdeError);
      expect(error).toMatchObject({
        phase: 'serde',
        topic: 'in',
        partition: 3,
        offset: '17',
        nodeName: 'SOURCE-0000000001',
        target: 'key',
        cause: new Error('bad key'),
      });
      expect((error as Error).message).toBe(
        'cannot deserialize the key for topic in: bad key (topic in, partition 3, offset 17, node SOURCE-0000000001)',
      );
    });

    it('should locate a SerdeError the value serde throws without wrapping it twice', async () => {
      const thrown = new SerdeError('json serde cannot deserialize a payload of topic in: nope', {
        topic: 'in',
        cause: new SyntaxError('nope'),
      });
      const builder = new StreamsBuilder();
      builder
        .stream('in', { value: failingSerde<Buffer | null>(thrown), name: 'orders' })
        .to('out');

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v', { offset: '5' }), new CollectingSink()),
      );

      expect(error).toMatchObject({
        nodeName: 'orders',
        target: 'value',
        offset: '5',
        cause: thrown.cause,
      });
      expect((error as Error).message).toBe(
        'json serde cannot deserialize a payload of topic in: nope (topic in, partition 0, offset 5, node orders)',
      );
    });

    it('should fail with a SerdeError naming the sink when its serde fails, located at the input', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('out', { value: failingSerde('not an Error'), name: 'writer' });
      const sink = new CollectingSink();

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v', { partition: 3, offset: '9' }), sink),
      );

      expect(error).toBeInstanceOf(SerdeError);
      expect(error).toMatchObject({
        topic: 'in',
        partition: 3,
        offset: '9',
        nodeName: 'writer',
        target: 'value',
      });
      expect((error as Error).message).toBe(
        'cannot serialize the value for topic out: not an Error (topic in, partition 3, offset 9, node writer)',
      );
      expect(sink.sent).toEqual([]);
    });

    it('should keep the message of a sink serde SerdeError and locate it at the input record', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in', { value: text }).to('out', { value: Serdes.bytes() as Serde<unknown> }); // a string is not bytes
      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v', { offset: '2' }), new CollectingSink()),
      );

      expect(error).toMatchObject({
        topic: 'in',
        offset: '2',
        nodeName: 'SINK-0000000002',
        target: 'value',
      });
      expect((error as Error).message).toBe(
        'bytes serde cannot serialize a value for topic out: expected a Buffer or null, got a string (topic in, partition 0, offset 2, node SINK-0000000002)',
      );
    });
  });

  describe('processing errors', () => {
    it('should tag a throwing callback with its node, topic, partition and offset', async () => {
      const boom = new Error('boom');
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        mapValues((v) => v),
        mapValues(
          () => {
            throw boom;
          },
          { name: 'explode' },
        ),
        to('out'),
      );

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v', { partition: 3, offset: '8' }), new CollectingSink()),
      );

      expect(error).toBeInstanceOf(ProcessingError);
      expect(error).toMatchObject({
        phase: 'processing',
        nodeName: 'explode',
        topic: 'in',
        partition: 3,
        offset: '8',
        cause: boom,
      });
    });

    it('should tag a rejecting async callback with its node', async () => {
      const builder = new StreamsBuilder();
      builder
        .stream('in')
        .pipe(forEach(() => Promise.reject(new Error('later')), { name: 'each' }));

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), new CollectingSink()),
      );

      expect(error).toMatchObject({
        name: 'ProcessingError',
        nodeName: 'each',
        cause: new Error('later'),
      });
    });

    it('should tag a throwing branch predicate with the branch it belongs to', async () => {
      const builder = new StreamsBuilder();
      const { a, b } = builder.stream('in').branch(
        {
          a: () => false,
          b: () => {
            throw new Error('bad predicate');
          },
        },
        { name: 'split' },
      );
      a.to('a');
      b.to('b');

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), new CollectingSink()),
      );

      expect(error).toMatchObject({ nodeName: 'split-b', cause: new Error('bad predicate') });
    });

    it('should tag a failing topic name extractor with the sink', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to(() => '', { name: 'router' });

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), new CollectingSink()),
      );

      expect(error).toBeInstanceOf(ProcessingError);
      expect(error).toMatchObject({
        nodeName: 'router',
        cause: new Error('the topic name extractor returned "", not a topic name'),
      });
    });

    it('should tag an error once, where it happened, not again in the nodes above it', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        flatMapValues((v) => [v, v]),
        peek(() => undefined),
        forEach(() => {
          throw new Error('deep');
        }),
      );

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), new CollectingSink()),
      );

      expect(error).toMatchObject({ nodeName: 'FOREACH-0000000004', cause: new Error('deep') });
    });

    it('should wrap a SerdeError a callback throws as a ProcessingError of that node', async () => {
      const thrown = new SerdeError('user decoding failed', { topic: 'in' });
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        mapValues(() => {
          throw thrown;
        }),
        to('out'),
      );

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), new CollectingSink()),
      );

      expect(error).toBeInstanceOf(ProcessingError);
      expect(error).toMatchObject({ nodeName: 'MAPVALUES-0000000002', cause: thrown });
    });

    it('should pass on what the record sink throws, untagged', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('out');
      const refusing: RecordSink = {
        send: () => {
          throw new Error('producer closed');
        },
        signal: new AbortController().signal,
      };

      const error = await failureOf(
        builder
          .build()
          .createTask(info)
          .process(raw('in', 'k', 'v'), refusing),
      );

      expect(error).toEqual(new Error('producer closed'));
    });
  });

  describe('close', () => {
    it('should refuse records once the task is closed', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('out');
      const task = builder.build().createTask(info);

      await task.close();
      const error = await failureOf(task.process(raw('in', 'k', 'v'), new CollectingSink()));

      expect(error).toEqual(new Error('task in:3 is closed; it processes no more records'));
    });
  });

  describe('logger', () => {
    it('should default to a no-op logger and take one from the options', () => {
      const logger: Logger = {
        debug: jest.fn(),
        info: jest.fn(),
        warn: jest.fn(),
        error: jest.fn(),
      };
      const loggers: Logger[] = [];
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        process(() => ({
          init: (context) => void loggers.push(context.logger),
          process: () => undefined,
        })),
        to('out'),
      );
      const topology = builder.build();

      topology.createTask(info);
      topology.createTask(info, { logger });

      expect(loggers[1]).toBe(logger);
      expect(loggers[0]).not.toBe(logger);
    });
  });
});
