import { ProcessingError } from '../../lib/errors/processing-error';
import { forEach } from '../../lib/kstream/operators/for-each';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { process } from '../../lib/kstream/operators/process';
import { to } from '../../lib/kstream/operators/to';
import type { Processor } from '../../lib/topology/processor';
import type { ProcessorContext } from '../../lib/topology/processor-context';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import type { StreamRecord } from '../../lib/record/stream-record';
import type { Topology } from '../../lib/topology/topology';
import { CollectingSink, failureOf, raw, run, taskInfo, text } from './fixtures';

type Text = string | null;

/** Forwards `value#n`, n counting the records this instance has seen. */
class Counter implements Processor<Text, Text> {
  static made = 0;
  static closed = 0;
  private context!: ProcessorContext<Text, Text>;
  private count = 0;
  constructor() {
    Counter.made += 1;
  }
  init(context: ProcessorContext<Text, Text>): void {
    this.context = context;
  }
  process(record: StreamRecord<Text, Text>): void {
    this.count += 1;
    this.context.forward({ ...record, value: `${record.value}#${this.count}` });
  }
  close(): void {
    Counter.closed += 1;
  }
}

const counting = (): Topology => {
  const builder = new StreamsBuilder();
  builder.stream('in', { key: text, value: text }).pipe(
    process(() => new Counter(), { name: 'count' }),
    to('out', { key: text, value: text }),
  );
  return builder.build();
};

const values = (sink: CollectingSink): (string | null)[] => sink.sent.map((s) => s.value);

describe('Topology.createTask with process()', () => {
  beforeEach(() => {
    Counter.made = 0;
    Counter.closed = 0;
  });

  it('should make one processor per task, each with its own state', async () => {
    const topology = counting();
    Counter.made = 0; // build() made two to check the supplier
    const first = topology.createTask(taskInfo('in', 0));
    const second = topology.createTask(taskInfo('in', 1));
    const sink = new CollectingSink();

    await run(first.process(raw('in', null, 'a'), sink));
    await run(first.process(raw('in', null, 'b'), sink));
    await run(second.process(raw('in', null, 'c'), sink));

    expect(Counter.made).toBe(2);
    expect(values(sink)).toEqual(['a#1', 'b#2', 'c#1']);
  });

  it('should give init a context naming the node, the task and the logger', () => {
    const contexts: ProcessorContext<Text, Text>[] = [];
    const builder = new StreamsBuilder();
    builder.stream('in', { key: text, value: text }).pipe(
      process(() => ({ init: (context) => void contexts.push(context), process: () => undefined })),
      forEach(() => undefined),
    );

    builder.build().createTask(taskInfo('in', 4));

    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({
      nodeName: 'PROCESSOR-0000000002',
      task: { id: 'in:4', topic: 'in', partition: 4 },
    });
  });

  it('should close each processor once, however often the task is closed', async () => {
    const task = counting().createTask(taskInfo());

    await Promise.all([task.close(), task.close()]);
    await task.close();

    expect(Counter.closed).toBe(1);
  });

  it('should await async close, close every processor and reject with the first failure', async () => {
    const closed: string[] = [];
    const builder = new StreamsBuilder();
    const stream = builder.stream('in');
    stream.pipe(
      process(
        () => ({
          process: () => undefined,
          close: () => Promise.reject(new Error('flush failed')),
        }),
        { name: 'failing' },
      ),
      forEach(() => undefined),
    );
    stream.pipe(
      process(() => ({
        process: () => undefined,
        close: async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          closed.push('second');
        },
      })),
      forEach(() => undefined),
    );
    const errors: unknown[] = [];
    const task = builder.build().createTask(taskInfo(), {
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: (_m, f) => void errors.push(f),
      },
    });

    const error = await task.close().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ProcessingError);
    expect(error).toMatchObject({ nodeName: 'failing', cause: new Error('flush failed') });
    expect(closed).toEqual(['second']);
    expect(errors).toEqual([
      { nodeName: 'failing', task: 'in:0', error: new Error('flush failed') },
    ]);
  });

  it('should pass forwarded records to every child, in the order forwarded', async () => {
    const builder = new StreamsBuilder();
    const split = builder.stream('in', { key: text, value: text }).pipe(
      process<Text, Text>(() => {
        let context: ProcessorContext<Text, Text>;
        return {
          init: (c) => void (context = c),
          process: (record) => {
            for (const part of (record.value ?? '').split(' '))
              context.forward({ ...record, value: part });
          },
        };
      }),
    );
    split.to('a', { key: text, value: text });
    split.to('b', { key: text, value: text });
    const sink = new CollectingSink();

    await run(
      builder
        .build()
        .createTask(taskInfo())
        .process(raw('in', null, 'x y'), sink),
    );

    expect(sink.sent.map((s) => `${s.topic}:${s.value}`)).toEqual(['a:x', 'b:x', 'a:y', 'b:y']);
  });

  it('should pass a record to one named child with forwardTo', async () => {
    const builder = new StreamsBuilder();
    const routed = builder.stream('in', { key: text, value: text }).pipe(
      process<Text, Text>(() => {
        let context: ProcessorContext<Text, Text>;
        return {
          init: (c) => void (context = c),
          process: (record) =>
            context.forwardTo(record.value === 'x' ? 'to-x' : 'to-other', record),
        };
      }),
    );
    routed.to('x', { key: text, value: text, name: 'to-x' });
    routed.to('other', { key: text, value: text, name: 'to-other' });
    const task = builder.build().createTask(taskInfo());
    const sink = new CollectingSink();

    await run(task.process(raw('in', null, 'x'), sink));
    await run(task.process(raw('in', null, 'y'), sink));

    expect(sink.sent.map((s) => `${s.topic}:${s.value}`)).toEqual(['x:x', 'other:y']);
  });

  it('should fail the record when forwardTo names no child, listing the children', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in').pipe(
      process(
        () => {
          let context: ProcessorContext<Buffer | null, Buffer | null>;
          return {
            init: (c) => void (context = c),
            process: (record) => context.forwardTo('nope', record),
          };
        },
        { name: 'router' },
      ),
      to('out', { name: 'sink' }),
    );

    const error = await failureOf(
      builder
        .build()
        .createTask(taskInfo())
        .process(raw('in', 'k', 'v'), new CollectingSink()),
    );

    expect(error).toMatchObject({
      name: 'ProcessingError',
      nodeName: 'router',
      cause: new Error('processor router has no child named "nope" (its children: sink)'),
    });
  });

  it('should wait for an async process and pass on what it forwarded after awaiting', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { key: text, value: text }).pipe(
      process<Text, Text>(() => {
        let context: ProcessorContext<Text, Text>;
        return {
          init: (c) => void (context = c),
          process: async (record) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            context.forward({ ...record, value: `${record.value}!` });
          },
        };
      }),
      to('out', { key: text, value: text }),
    );
    const sink = new CollectingSink();

    await run(
      builder
        .build()
        .createTask(taskInfo())
        .process(raw('in', null, 'v'), sink),
    );

    expect(values(sink)).toEqual(['v!']);
  });

  it('should tag a throwing process() with the processor node, forwarding nothing', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in').pipe(
      process(
        () => {
          let context: ProcessorContext<Buffer | null, Buffer | null>;
          return {
            init: (c) => void (context = c),
            process: (record) => {
              context.forward(record);
              throw new Error('half done');
            },
          };
        },
        { name: 'proc' },
      ),
      to('out'),
    );
    const sink = new CollectingSink();

    const error = await failureOf(
      builder
        .build()
        .createTask(taskInfo())
        .process(raw('in', 'k', 'v', { offset: '4' }), sink),
    );

    expect(error).toMatchObject({
      name: 'ProcessingError',
      nodeName: 'proc',
      offset: '4',
      cause: new Error('half done'),
    });
    expect(sink.sent).toEqual([]);
  });

  it('should tag an error of a child of a processor with the child, not the processor', async () => {
    const builder = new StreamsBuilder();
    builder.stream('in').pipe(
      process(
        () =>
          new Counter() as unknown as Processor<Buffer | null, Buffer | null, Buffer | null, Text>,
      ),
      mapValues(
        () => {
          throw new Error('child failed');
        },
        { name: 'child' },
      ),
      to('out'),
    );

    const error = await failureOf(
      builder
        .build()
        .createTask(taskInfo())
        .process(raw('in', 'k', 'v'), new CollectingSink()),
    );

    expect(error).toMatchObject({ nodeName: 'child', cause: new Error('child failed') });
  });

  it('should refuse forward() outside process()', () => {
    const builder = new StreamsBuilder();
    builder.stream('in').pipe(
      process(
        () => ({
          init: (context) => context.forward({ ...raw('in', 'k', 'v') }),
          process: () => undefined,
        }),
        { name: 'eager' },
      ),
      to('out'),
    );
    const topology = builder.build();

    expect(() => topology.createTask(taskInfo())).toThrow(
      new ProcessingError({
        nodeName: 'eager',
        cause: new Error('processor eager called forward() outside process()'),
      }),
    );
  });

  it('should fail a record that reaches a processor still busy with another', async () => {
    let release!: () => void;
    const builder = new StreamsBuilder();
    builder.stream('in').pipe(
      process(
        () => {
          let context: ProcessorContext<Buffer | null, Buffer | null>;
          return {
            init: (c) => void (context = c),
            process: (record) =>
              new Promise<void>((resolve) => {
                release = () => {
                  context.forward(record);
                  resolve();
                };
              }),
          };
        },
        { name: 'slow' },
      ),
      to('out'),
    );
    const task = builder.build().createTask(taskInfo());
    const sink = new CollectingSink();

    const first = run(task.process(raw('in', 'k', '1'), sink));
    const second = await failureOf(task.process(raw('in', 'k', '2', { offset: '2' }), sink));
    release();
    await first;

    expect(second).toMatchObject({
      nodeName: 'slow',
      offset: '2',
      cause: new Error(
        'processor slow got a record while still processing another; a task processes one record at a time',
      ),
    });
    const third = run(task.process(raw('in', 'k', '3'), sink));
    release();
    await third;
    expect(sink.sent.map((s) => s.value)).toEqual(['1', '3']);
  });

  it('should run a record again when its Observable is subscribed again (a retry)', async () => {
    const task = counting().createTask(taskInfo());
    const sink = new CollectingSink();
    const work = task.process(raw('in', null, 'v'), sink);

    await run(work);
    await run(work);

    expect(values(sink)).toEqual(['v#1', 'v#2']);
  });

  describe('when making processors fails', () => {
    it('should throw a ProcessingError naming the node whose supplier threw', () => {
      let calls = 0;
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        process(
          () => {
            calls += 1;
            if (calls > 2) throw new Error('out of connections');
            return { process: () => undefined };
          },
          { name: 'db' },
        ),
        to('out'),
      );
      const topology = builder.build();

      expect(() => topology.createTask(taskInfo())).toThrow(
        new ProcessingError({ nodeName: 'db', cause: new Error('out of connections') }),
      );
    });

    it('should close the processors already made when a later init throws', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        process(() => new Counter() as unknown as Processor<Buffer | null, Buffer | null>),
        process(
          () => ({
            init: () => {
              throw new Error('no init');
            },
            process: () => undefined,
          }),
          { name: 'second' },
        ),
        to('out'),
      );
      const topology = builder.build();

      expect(() => topology.createTask(taskInfo())).toThrow(/node second failed: no init/);
      expect(Counter.closed).toBe(1);
    });
  });
});
