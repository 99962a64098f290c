import {
  concat,
  EMPTY,
  from,
  type Observable,
  throwError,
  timer,
  ignoreElements,
  defer,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { Action } from '../../lib/errorhandler/action';
import type { ErrorContext } from '../../lib/errorhandler/error-context';
import { withDLQ } from '../../lib/errorhandler/with-dlq';
import { ProcessingError } from '../../lib/errors/processing-error';
import { SerdeError } from '../../lib/errors/serde-error';
import type { RawRecord } from '../../lib/record/stream-record';
import { json } from '../../lib/serde/json';
import type { Serde } from '../../lib/serde/serde';
import type { RecordSink, TaskInfo, TopologyTask } from '../../lib/topology/topology-task';
import type { TestedTopology } from './tested-topology';
import { testTopology } from './test-topology';
import { topologyDriver } from './topology-driver';
import { TopologyTestError } from './topology-test-error';

type Step = (raw: RawRecord, sink: RecordSink, info: TaskInfo) => Observable<never> | void;

/**
 * A hand-made topology: `step` is each task's whole processing of one record; `sinkTopics`
 * are the topics it declares it writes (as a built Topology's sinks do).
 */
const fakeTopology = (sourceTopics: string[], step: Step, sinkTopics: string[] = []) => {
  const created: TaskInfo[] = [];
  const closed: string[] = [];
  const topology: TestedTopology = {
    sourceTopics,
    sinkTopics,
    createTask: (info): TopologyTask => {
      created.push(info);
      return {
        push: (raw, sink) => defer(() => step(raw, sink, info) ?? EMPTY),
        close: async () => {
          closed.push(info.id);
        },
      };
    },
  };
  return { topology, created, closed };
};

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

/** Writes the upper-cased value to `upper`, keeping the key. */
const upper: Step = (raw, sink) => {
  sink.send(
    { topic: 'upper', key: raw.key, value: Buffer.from(text(raw.value)?.toUpperCase() ?? '') },
    'SINK-0000000003',
  );
};

/** Fails on the value `boom` like a map node whose callback threw. */
const failOnBoom =
  (inner: Step): Step =>
  (raw, sink, info) =>
    text(raw.value) === 'boom'
      ? throwError(
          () => new ProcessingError({ nodeName: 'MAP-0000000002', cause: new Error('boom!') }),
        )
      : inner(raw, sink, info);

describe('testTopology', () => {
  it('should write input records at their frames and assert the outputs', () => {
    const { topology } = fakeTopology(['words'], upper);

    testTopology(topology, ({ input, expectOutput }) => {
      input('words', '-a--b-|', { a: { key: 'k1', value: 'hello' }, b: { value: 'wörld' } });
      expectOutput('upper', '-x--y-|', {
        x: { key: 'k1', value: 'HELLO' },
        y: { key: null, value: 'WÖRLD' },
      });
    });
  });

  it('should fail the test when the output differs from the diagram', () => {
    const { topology } = fakeTopology(['words'], upper);

    expect(() =>
      testTopology(topology, ({ input, expectOutput }) => {
        input('words', '-a-|', { a: { value: 'hello' } });
        expectOutput('upper', '--x|', { x: { key: null, value: 'HELLO' } });
      }),
    ).toThrow();
  });

  it('should complete an output its sink wrote nothing to when the inputs complete', () => {
    const { topology } = fakeTopology(['words'], () => undefined, ['upper']);

    testTopology(topology, ({ input, expectOutput }) => {
      input('words', '-a-|', { a: { value: 'x' } });
      expectOutput('upper', '---|');
    });
  });

  it('should not complete the outputs while an input is still open', () => {
    const { topology } = fakeTopology(['words'], upper);

    testTopology(topology, ({ input, expectOutput }) => {
      input('words', '-a-|', { a: { value: 'x' } });
      input('words', '-----', {});
      expectOutput('upper', '-x---', { x: { key: null, value: 'X' } });
    });
  });

  it('should give each (topic, partition) its own task and count offsets from 0 per partition', () => {
    const { topology, created } = fakeTopology(['a', 'b'], (raw, sink, info) => {
      sink.send(
        { topic: 'out', key: null, value: Buffer.from(`${info.id}@${raw.offset}`) },
        'SINK',
      );
    });

    testTopology(topology, ({ input, expectOutput }) => {
      input('a', 'xyz|', { x: { value: '' }, y: { value: '', partition: 1 }, z: { value: '' } });
      input('b', '---(x|)', { x: { value: '' } }, { partition: 2 });
      expectOutput('out', 'pqr(s|)', {
        p: { key: null, value: 'a:0@0' },
        q: { key: null, value: 'a:1@0' },
        r: { key: null, value: 'a:0@1' },
        s: { key: null, value: 'b:2@0' },
      });
    });

    expect(created).toEqual([
      { id: 'a:0', topic: 'a', partition: 0 },
      { id: 'a:1', topic: 'a', partition: 1 },
      { id: 'b:2', topic: 'b', partition: 2 },
    ]);
  });

  it('should process the records of a partition one at a time and partitions side by side', () => {
    const slow: Step = (raw, sink) =>
      concat(
        timer(3),
        defer(() => upper(raw, sink, { id: '', topic: '', partition: 0 }) ?? EMPTY),
      ).pipe(ignoreElements());
    const { topology } = fakeTopology(['words'], slow);

    testTopology(topology, ({ input, expectOutput }) => {
      input('words', 'ab|', { a: { value: 'a' }, b: { value: 'b' } });
      input('words', '-c|', { c: { value: 'c', partition: 1 } });
      expectOutput('upper', '---xz-(y|)', {
        x: { key: null, value: 'A' },
        z: { key: null, value: 'C' },
        y: { key: null, value: 'B' },
      });
    });
  });

  it("should run the keys of a partition side by side with ordering 'key', each key in order", () => {
    const slow: Step = (raw, sink) =>
      concat(
        timer(5),
        defer(() => upper(raw, sink, { id: '', topic: '', partition: 0 }) ?? EMPTY),
      ).pipe(ignoreElements());
    const { topology } = fakeTopology(['words'], slow);

    testTopology(
      topology,
      ({ input, expectOutput }) => {
        input('words', '(abc)|', {
          a: { key: 'k1', value: 'a' },
          b: { key: 'k1', value: 'b' },
          c: { key: 'k2', value: 'c' },
        });
        expectOutput('upper', '-----(xz)-(y|)', {
          x: { key: 'k1', value: 'A' },
          z: { key: 'k2', value: 'C' },
          y: { key: 'k1', value: 'B' },
        });
      },
      { ordering: 'key', maxConcurrency: 4 },
    );
  });

  it('should encode inputs and decode outputs with the serdes given', () => {
    interface Order {
      id: number;
      total: number;
    }
    const { topology } = fakeTopology(['orders'], (raw, sink) => {
      const order = JSON.parse(text(raw.value)!) as Order;
      sink.send(
        { topic: 'totals', key: raw.key, value: Buffer.from(JSON.stringify(order.total * 2)) },
        'SINK',
      );
    });
    const id: Serde<number> = {
      serialize: (_t, v) => Buffer.from(String(v)),
      deserialize: (_t, b) => Number(text(b)),
    };

    testTopology(topology, ({ input, expectOutput }) => {
      input(
        'orders',
        '-a|',
        { a: { key: 7, value: { id: 1, total: 21 } } },
        { key: id, value: json<Order>() },
      );
      expectOutput(
        'totals',
        '-x|',
        { x: { key: 7, value: 42 } },
        { key: id, value: json<number>() },
      );
    });
  });

  it('should compare headers only when an expected value names them', () => {
    const { topology } = fakeTopology(['words'], (raw, sink) => {
      sink.send({ topic: 'out', key: null, value: raw.value, headers: raw.headers }, 'SINK');
    });

    testTopology(topology, ({ input, expectOutput }) => {
      input('words', '-a|', {
        a: { value: 'v', headers: { trace: 't-1', bin: Buffer.from('é') } },
      });
      expectOutput('out', '-x|', { x: { key: null, value: 'v' } });
      expectOutput('out', '-x|', {
        x: { key: null, value: 'v', headers: { trace: 't-1', bin: 'é' } },
      });
    });
  });

  it('should stamp records with the virtual time of their frame unless given a timestamp', () => {
    const { topology } = fakeTopology(['words'], (raw, sink) => {
      sink.send({ topic: 'out', key: null, value: raw.value, timestamp: raw.timestamp }, 'SINK');
    });

    testTopology(topology, ({ input, expectOutput }) => {
      input('words', '-a 5ms b|', { a: { value: 'a' }, b: { value: 'b', timestamp: 1_000 } });
      expectOutput('out', '-x 5ms y|', {
        x: { key: null, value: 'a', timestamp: 1 },
        y: { key: null, value: 'b', timestamp: 1_000 },
      });
    });
  });

  it('should offer each output decoded with its sink node, topic and partition', () => {
    const { topology } = fakeTopology(['words'], (raw, sink) => {
      sink.send({ topic: 'out', key: raw.key, value: raw.value, partition: 3 }, 'SINK-0000000009');
    });

    testTopology(topology, ({ input, output, expectObservable }) => {
      input('words', '-a|', { a: { key: 'k', value: 'v' } });
      expectObservable(output('out')).toBe('-x|', {
        x: {
          topic: 'out',
          key: 'k',
          value: 'v',
          headers: {},
          partition: 3,
          nodeName: 'SINK-0000000009',
        },
      });
    });
  });

  it('should close every task once the inputs are done', () => {
    const { topology, closed } = fakeTopology(['words'], upper);

    testTopology(topology, ({ input }) => {
      input('words', 'a|', { a: { value: 'x' } });
      input('words', 'a|', { a: { value: 'x', partition: 1 } });
    });

    expect(closed).toEqual(['words:0', 'words:1']);
  });

  describe('when a record fails', () => {
    it('should end every output with # and the error by default, and stop', () => {
      const { topology, closed } = fakeTopology(['words'], failOnBoom(upper), ['upper', 'other']);

      testTopology(topology, ({ input, expectOutput }) => {
        input('words', '-a-b-c|', {
          a: { value: 'ok' },
          b: { value: 'boom' },
          c: { value: 'late' },
        });
        expectOutput(
          'upper',
          '-x-#',
          { x: { key: null, value: 'OK' } },
          { error: expect.any(ProcessingError) },
        );
        expectOutput('other', '---#', undefined, {
          error: expect.objectContaining({
            nodeName: 'MAP-0000000002',
            message: 'node MAP-0000000002 failed: boom!',
          }),
        });
      });

      expect(closed).toEqual(['words:0']);
    });

    it('should skip the record when the handler says continue', () => {
      const seen: ErrorContext[] = [];
      const { topology } = fakeTopology(['words'], failOnBoom(upper));

      testTopology(
        topology,
        ({ input, expectOutput }) => {
          input('words', '-a-b-c|', {
            a: { value: 'ok' },
            b: { value: 'boom' },
            c: { value: 'fine' },
          });
          expectOutput('upper', '-x---y|', {
            x: { key: null, value: 'OK' },
            y: { key: null, value: 'FINE' },
          });
        },
        { errorHandler: (ec) => (seen.push(ec), Action.continue()) },
      );

      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        phase: 'processing',
        nodeName: 'MAP-0000000002',
        attempt: 1,
      });
      expect(seen[0]!.record).toMatchObject({ topic: 'words', partition: 0, offset: '1' });
    });

    it('should retry the record after its delay in virtual time', () => {
      let attempts = 0;
      const { topology } = fakeTopology(['words'], (raw, sink, info) =>
        text(raw.value) === 'flaky' && ++attempts < 3
          ? throwError(() => new Error('not yet'))
          : upper(raw, sink, info),
      );

      testTopology(
        topology,
        ({ input, expectOutput }) => {
          input('words', '-a-b|', { a: { value: 'flaky' }, b: { value: 'next' } });
          expectOutput('upper', '- 20ms (xy|)', {
            x: { key: null, value: 'FLAKY' },
            y: { key: null, value: 'NEXT' },
          });
        },
        { errorHandler: () => Action.retry(10) },
      );

      expect(attempts).toBe(3);
    });

    it('should write the raw record with error headers to the dead-letter topic', () => {
      const { topology } = fakeTopology(['words'], failOnBoom(upper), ['upper']);

      testTopology(
        topology,
        ({ input, expectOutput }) => {
          input('words', '--a|', { a: { key: 'k', value: 'boom', headers: { trace: 't' } } });
          expectOutput('upper', '---|');
          expectOutput('words.dlq', '--x|', {
            x: {
              key: 'k',
              value: 'boom',
              headers: {
                trace: 't',
                'x-original-topic': 'words',
                'x-original-partition': '0',
                'x-original-offset': '0',
                'x-error-timestamp': '1970-01-01T00:00:00.002Z',
                'x-error-timestamp-ms': '2',
                'x-error-attempt': '1',
                'x-error-message': 'node MAP-0000000002 failed: boom!',
                'x-error-node': 'MAP-0000000002',
                'x-error-phase': 'processing',
              },
            },
          });
        },
        { errorHandler: () => Action.sendToDLQ('words.dlq') },
      );
    });

    it('should ask the handler of the error phase', () => {
      const phases: string[] = [];
      const { topology } = fakeTopology(
        ['words'],
        (raw) =>
          throwError(() =>
            text(raw.value) === 'bad-bytes'
              ? new SerdeError('cannot read', { topic: 'words' })
              : new ProcessingError({ nodeName: 'MAP', cause: 'no' }),
          ),
        ['upper'],
      );

      testTopology(
        topology,
        ({ input, expectOutput }) => {
          input('words', 'ab|', { a: { value: 'bad-bytes' }, b: { value: 'other' } });
          expectOutput('upper', '--|');
        },
        {
          serdeErrorHandler: () => (phases.push('serde'), Action.continue()),
          errorHandler: () => (phases.push('fallback'), Action.continue()),
        },
      );

      expect(phases).toEqual(['serde', 'fallback']);
    });
  });

  describe('when the test is set up wrongly', () => {
    const { topology } = fakeTopology(['words'], upper);

    it('should name a topic the topology does not read', () => {
      expect(() =>
        testTopology(topology, ({ input }) => input('wrods', '-a|', { a: { value: 'x' } })),
      ).toThrow(new TopologyTestError('the topology reads no topic wrods (it reads words)'));
    });

    it('should name a marble that has no value', () => {
      expect(() =>
        testTopology(topology, ({ input }) => input('words', '-a-b|', { a: { value: 'x' } })),
      ).toThrow("input '-a-b|' of topic words has marble 'b' with no value");
    });

    it('should name a value that is not a record', () => {
      const values = { a: 'hello' } as unknown as Record<string, { value: string }>;

      expect(() => testTopology(topology, ({ input }) => input('words', '-a|', values))).toThrow(
        "input 'a' of topic words is not a record: expected { key?, value, headers? }",
      );
    });

    it('should refuse a key or value that needs a serde', () => {
      expect(() =>
        testTopology(topology, ({ input }) =>
          // @ts-expect-error a number is not raw input
          input('words', '-a|', { a: { value: 42 } }),
        ),
      ).toThrow(
        "input 'a' of topic words: its value is a number: give a serde in the input's options, or a string, Buffer or null",
      );
    });

    it('should refuse an input that fails', () => {
      expect(() => testTopology(topology, ({ input }) => input('words', '-#', {}))).toThrow(
        "input '-#' of topic words has '#': inputs cannot fail",
      );
    });

    it('should refuse a partition that is not a natural number', () => {
      expect(() =>
        testTopology(topology, ({ input }) =>
          input('words', 'a|', { a: { value: 'x', partition: -1 } }),
        ),
      ).toThrow("input 'a' of topic words has partition -1: expected an integer >= 0");
    });

    it('should refuse an input given after the test started', () => {
      expect(() =>
        testTopology(topology, ({ input, cold }) => {
          cold('-x|').subscribe(() => input('words', 'a|', { a: { value: 'late' } }));
        }),
      ).toThrow("input('words') came after the test started: give every input first");
    });
  });

  describe('when a record is still in process as virtual time runs out', () => {
    /** Upper-cases `later` values after a Promise, which virtual time cannot wait for. */
    const promising = () =>
      fakeTopology(
        ['words'],
        (raw, sink, info) =>
          text(raw.value) === 'later'
            ? from(Promise.resolve()).pipe(ignoreElements(), (s) =>
                concat(
                  s,
                  defer(() => upper(raw, sink, info) ?? EMPTY),
                ),
              )
            : upper(raw, sink, info),
        ['upper'],
      );

    it('should throw a TopologyTestError naming the record instead of comparing the diagrams', () => {
      const { topology } = promising();
      const compared: unknown[] = [];

      expect(() =>
        testTopology(
          topology,
          ({ input, expectOutput }) => {
            input('words', 'ab|', { a: { value: 'now' }, b: { value: 'later' } });
            expectOutput('upper', 'xy|', {
              x: { key: null, value: 'NOW' },
              y: { key: null, value: 'LATER' },
            });
          },
          { assertDeepEqual: (actual) => compared.push(actual) },
        ),
      ).toThrow(
        new TopologyTestError(
          'the record at topic words, partition 0, offset 1 was still in process when virtual time ran out: ' +
            'a callback returned a Promise (or never finished), and virtual time cannot wait for a Promise. ' +
            'Make the callback synchronous or delay with RxJS operators (they run in virtual time), ' +
            'or test the topology against InMemoryKafka in real time (docs/testing.md, "Limits")',
        ),
      );
      expect(compared).toEqual([]);
    });

    it('should close the tasks, so the record goes no further once its Promise settles', () => {
      const { topology, closed } = promising();

      expect(() =>
        testTopology(topology, ({ input }) => input('words', 'a|', { a: { value: 'later' } })),
      ).toThrow(TopologyTestError);
      expect(closed).toEqual(['words:0']);
    });

    it('should make the run of your own TestScheduler throw it, before its assertions', () => {
      const { topology } = promising();
      const compared: unknown[] = [];
      const scheduler = new TestScheduler((actual) => {
        compared.push(actual);
      });

      expect(() =>
        scheduler.run(({ cold, expectObservable }) => {
          const driver = topologyDriver(topology, scheduler);
          driver.input('words', 'a|', { a: { value: 'later' } });
          expectObservable(cold('-z|')).toBe('-z|');
          driver.expectOutput('upper', 'x|', { x: { key: null, value: 'LATER' } });
        }),
      ).toThrow(/^the record at topic words, partition 0, offset 0 was still in process/);
      expect(compared).toEqual([]);
    });

    it('should name the error handler that returned a Promise', () => {
      const { topology } = fakeTopology(['words'], failOnBoom(upper), ['upper']);

      expect(() =>
        testTopology(topology, ({ input }) => input('words', 'a|', { a: { value: 'boom' } }), {
          processingErrorHandler: async () => Action.continue(),
        }),
      ).toThrow(
        new TopologyTestError(
          'the record at topic words, partition 0, offset 0 was still in process when virtual time ran out: ' +
            'the processing error handler returned a Promise, and virtual time cannot wait for a Promise. ' +
            'Return the Action itself (the delay of Action.retry(ms) runs in virtual time), ' +
            'or test the topology against InMemoryKafka in real time (docs/testing.md, "Limits")',
        ),
      );
    });
  });

  describe('when an output topic is one the topology does not write', () => {
    it('should throw a TopologyTestError naming it and the topics the topology writes', () => {
      const { topology } = fakeTopology(['words'], failOnBoom(upper), ['upper']);

      expect(() =>
        testTopology(
          topology,
          ({ input, expectOutput, output, expectObservable }) => {
            input('words', 'ab|', { a: { value: 'x' }, b: { value: 'boom' } });
            expectOutput('uper', '--|');
            expectObservable(output('words-dlq')).toBe('--|');
          },
          { errorHandler: () => Action.sendToDLQ('words.dlq') },
        ),
      ).toThrow(
        new TopologyTestError(
          "expectOutput('uper'), output('words-dlq'): the topology wrote nothing to topics uper, words-dlq, " +
            'and none of its sinks writes them (it writes: upper, words.dlq). Check the name; a topic the ' +
            "topology may write but did not in this test (a dead-letter topic, a topic a sink's function " +
            'picks) goes in the outputTopics option',
        ),
      );
    });

    it('should take an empty output of a topic named in the outputTopics option', () => {
      const { topology } = fakeTopology(['words'], failOnBoom(upper), ['upper']);

      testTopology(
        topology,
        ({ input, expectOutput }) => {
          input('words', 'a|', { a: { value: 'x' } });
          expectOutput('upper', 'x|', { x: { key: null, value: 'X' } });
          expectOutput('words.dlq', '-|');
        },
        { errorHandler: withDLQ('words.dlq'), outputTopics: ['words.dlq'] },
      );
    });

    it('should know a topic a record went to without a sink naming it', () => {
      const { topology } = fakeTopology(['words'], (raw, sink) => {
        sink.send({ topic: `to-${text(raw.value)}`, key: null, value: raw.value }, 'SINK');
      });

      testTopology(
        topology,
        ({ input, expectOutput, refuseSends }) => {
          refuseSends('to-b', 1);
          input('words', 'ab|', { a: { value: 'a' }, b: { value: 'b' } });
          expectOutput('to-a', 'x-|', { x: { key: null, value: 'a' } });
          // Refused, then skipped: nothing written, but the topology writes the topic.
          expectOutput('to-b', '--|');
        },
        { productionErrorHandler: () => Action.continue() },
      );
    });
  });
});

describe('topologyDriver', () => {
  it('should drive a topology inside a TestScheduler of your own', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const { topology } = fakeTopology(['words'], upper);

    scheduler.run(({ expectObservable }) => {
      const driver = topologyDriver(topology, scheduler);
      driver.input('words', '--a|', { a: { value: 'x' } });
      expectObservable(driver.output('upper'), '^-!').toBe('--');
      driver.expectOutput('upper', '--x|', { x: { key: null, value: 'X' } });
    });
  });
});
