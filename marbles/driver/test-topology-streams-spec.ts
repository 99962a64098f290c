import { Action } from '../../lib/errorhandler/action';
import { withDLQ } from '../../lib/errorhandler/with-dlq';
import { ProcessingError } from '../../lib/errors/processing-error';
import { filter } from '../../lib/kstream/operators/filter';
import { map } from '../../lib/kstream/operators/map';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { process } from '../../lib/kstream/operators/process';
import { to } from '../../lib/kstream/operators/to';
import type { ProcessorContext } from '../../lib/topology/processor-context';
import { DEFAULT_BRANCH } from '../../lib/kstream/default-branch';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import { Serdes } from '../../lib/serde/serdes';
import { testTopology } from './test-topology';
import { TopologyTestError } from './topology-test-error';

interface Order {
  id: number;
  total: number;
}

const bigOrderIds = () => {
  const builder = new StreamsBuilder();
  builder.stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() }).pipe(
    filter((_key, order) => order !== null && order.total > 100),
    mapValues((order) => order?.id ?? 0),
    to('big-order-ids', { key: Serdes.string(), value: Serdes.json<number>() }),
  );
  return builder.build();
};

describe('testTopology with a StreamsBuilder topology', () => {
  it('should run raw inputs through the topology and decode its outputs', () => {
    testTopology(bigOrderIds(), ({ input, expectOutput }) => {
      input('orders', '-a-b-c-|', {
        a: { key: 'k1', value: '{"id":1,"total":50}' },
        b: { key: 'k2', value: '{"id":2,"total":500}' },
        c: { key: 'k3', value: '{"id":3,"total":101}' },
      });
      expectOutput('big-order-ids', '---x-y-|', {
        x: { key: 'k2', value: '2' },
        y: { key: 'k3', value: '3' },
      });
    });
  });

  it('should serialize typed inputs and deserialize outputs with the serdes given', () => {
    testTopology(bigOrderIds(), ({ input, expectOutput }) => {
      input(
        'orders',
        '-a-b|',
        { a: { key: 'k1', value: { id: 1, total: 500 } }, b: { key: 'k2', value: null } },
        { key: Serdes.string(), value: Serdes.json<Order>() },
      );
      expectOutput(
        'big-order-ids',
        '-x--|',
        { x: { key: 'k1', value: 1 } },
        { value: Serdes.json<number>() },
      );
    });
  });

  it('should keep the input headers and timestamp on the output', () => {
    testTopology(bigOrderIds(), ({ input, expectOutput }) => {
      input('orders', '--a|', {
        a: { key: 'k', value: '{"id":9,"total":900}', headers: { trace: 't-9' } },
      });
      expectOutput('big-order-ids', '--x|', {
        x: { key: 'k', value: '9', headers: { trace: 't-9' }, timestamp: 2 },
      });
    });
  });

  it('should route each record to its first matching branch', () => {
    const builder = new StreamsBuilder();
    const { small, big } = builder
      .stream('orders', { value: Serdes.json<Order>() })
      .branch({ big: (_k, order) => (order?.total ?? 0) > 100, small: DEFAULT_BRANCH });
    big.pipe(to('big', { value: Serdes.json<Order>() }));
    small.pipe(to('small', { value: Serdes.json<Order>() }));

    testTopology(builder.build(), ({ input, expectOutput }) => {
      input('orders', 'ab|', {
        a: { value: '{"id":1,"total":500}' },
        b: { value: '{"id":2,"total":5}' },
      });
      expectOutput('big', 'x-|', { x: { key: null, value: '{"id":1,"total":500}' } });
      expectOutput('small', '-y|', { y: { key: null, value: '{"id":2,"total":5}' } });
    });
  });

  it('should give each partition its own processor instances, closed at the end', () => {
    const closed: string[] = [];
    const builder = new StreamsBuilder();
    builder.stream('clicks', { key: Serdes.string(), value: Serdes.string() }).pipe(
      process<string | null, string | null, string | null, string>(() => {
        let context: ProcessorContext<string | null, string>;
        let count = 0;
        return {
          init: (c) => {
            context = c;
          },
          process: (record) =>
            context.forward({ ...record, value: `${context.task?.id} #${++count}` }),
          close: () => {
            closed.push(context.task!.id);
          },
        };
      }),
      to('counts', { key: Serdes.string(), value: Serdes.string() }),
    );

    testTopology(builder.build(), ({ input, expectOutput }) => {
      input('clicks', 'abc|', {
        a: { value: 'x' },
        b: { value: 'y', partition: 1 },
        c: { value: 'z' },
      });
      expectOutput('counts', 'pqr|', {
        p: { key: null, value: 'clicks:0 #1' },
        q: { key: null, value: 'clicks:1 #1' },
        r: { key: null, value: 'clicks:0 #2' },
      });
    });

    expect(closed.sort()).toEqual(['clicks:0', 'clicks:1']);
  });

  it('should end the outputs with the located SerdeError of a malformed input by default', () => {
    testTopology(bigOrderIds(), ({ input, expectOutput }) => {
      input('orders', '-a-b|', {
        a: { key: 'k1', value: '{"id":1,"total":500}' },
        b: { key: 'k2', value: '{oops' },
      });
      expectOutput(
        'big-order-ids',
        '-x-#',
        { x: { key: 'k1', value: '1' } },
        {
          error: expect.objectContaining({
            name: 'SerdeError',
            topic: 'orders',
            partition: 0,
            offset: '1',
            target: 'value',
            nodeName: 'SOURCE-0000000001',
          }),
        },
      );
    });
  });

  it('should dead-letter a malformed input when the serde error handler says so', () => {
    testTopology(
      bigOrderIds(),
      ({ input, expectOutput }) => {
        input('orders', '-a-b|', {
          a: { key: 'k1', value: '{oops' },
          b: { key: 'k2', value: '{"id":2,"total":200}' },
        });
        expectOutput('big-order-ids', '---x|', { x: { key: 'k2', value: '2' } });
        expectOutput('orders.dlq', '-d--|', {
          d: {
            key: 'k1',
            value: '{oops',
            headers: expect.objectContaining({
              'x-error-phase': 'serde',
              'x-error-node': 'SOURCE-0000000001',
            }),
          },
        });
      },
      { serdeErrorHandler: withDLQ('orders.dlq') },
    );
  });

  it('should retry a failing callback in virtual time', () => {
    let calls = 0;
    const builder = new StreamsBuilder();
    builder.stream('in', { value: Serdes.string() }).pipe(
      map((key, value) => {
        calls += 1;
        if (calls < 3) throw new Error(`attempt ${calls} failed`);
        return { key, value: value?.toUpperCase() ?? null };
      }),
      to('out', { value: Serdes.string() }),
    );
    const failures: unknown[] = [];

    testTopology(
      builder.build(),
      ({ input, expectOutput }) => {
        input('in', 'a|', { a: { value: 'hi' } });
        expectOutput('out', '100ms (x|)', { x: { key: null, value: 'HI' } });
      },
      { processingErrorHandler: (ec) => (failures.push(ec.error), Action.retry(50)) },
    );

    expect(failures).toEqual([expect.any(ProcessingError), expect.any(ProcessingError)]);
    expect((failures[0] as ProcessingError).nodeName).toBe('MAP-0000000002');
  });

  it('should name the node whose callback returned a Promise, instead of an empty diff', () => {
    const builder = new StreamsBuilder();
    builder.stream('in', { value: Serdes.string() }).pipe(
      mapValues(async (value) => value),
      to('out', { value: Serdes.string() }),
    );

    expect(() =>
      testTopology(builder.build(), ({ input, expectOutput }) => {
        input('in', 'a|', { a: { value: 'x' } });
        expectOutput('out', 'x|', { x: { key: null, value: 'x' } });
      }),
    ).toThrow(
      new TopologyTestError(
        'the record at topic in, partition 0, offset 0 was still in process when virtual time ran out: ' +
          'the callback of MAPVALUES-0000000002 returned a Promise (or never finished), and virtual time ' +
          'cannot wait for a Promise. Make the callback synchronous or delay with RxJS operators (they ' +
          'run in virtual time), or test the topology against InMemoryKafka in real time ' +
          '(docs/testing.md, "Limits")',
      ),
    );
  });

  it('should name every node below the record’s source whose callback may have returned it', () => {
    const builder = new StreamsBuilder();
    builder.stream('other', { value: Serdes.string() }).pipe(
      mapValues((value) => value),
      to('out', { value: Serdes.string() }),
    );
    const { fast, slow } = builder
      .stream('in', { value: Serdes.string() })
      .branch({ fast: (_k, v) => v === 'now', slow: DEFAULT_BRANCH });
    fast.pipe(to('out', { value: Serdes.string() }));
    slow.pipe(
      filter(async () => true),
      to(() => 'later', { value: Serdes.string() }),
    );

    expect(() =>
      testTopology(builder.build(), ({ input }) => {
        input('in', 'ab|', { a: { value: 'now' }, b: { value: 'wait' } });
      }),
    ).toThrow(
      /^the record at topic in, partition 0, offset 1 was still in process when virtual time ran out: the callback of one of BRANCH-0000000005, FILTER-0000000007, SINK-0000000008 returned a Promise/,
    );
  });

  it('should fail on an output topic the topology does not write, naming those it writes', () => {
    expect(() =>
      testTopology(
        bigOrderIds(),
        ({ input, expectOutput }) => {
          input('orders', '-a|', { a: { key: 'k1', value: '{oops' } });
          expectOutput('big-order-id', '--|');
        },
        { serdeErrorHandler: withDLQ('orders.dlq') },
      ),
    ).toThrow(
      "expectOutput('big-order-id'): the topology wrote nothing to topic big-order-id, and none of its sinks writes it (it writes: big-order-ids, orders.dlq)",
    );
  });

  it('should refuse an input to a topic no source reads', () => {
    expect(() =>
      testTopology(bigOrderIds(), ({ input }) => input('order', 'a|', { a: { value: '{}' } })),
    ).toThrow('the topology reads no topic order (it reads orders)');
  });

  it('should fail the test when a SerdeError is not expected', () => {
    expect(() =>
      testTopology(bigOrderIds(), ({ input, expectOutput }) => {
        input('orders', 'a|', { a: { value: 'nope' } });
        expectOutput('big-order-ids', '-|');
      }),
    ).toThrow(/SerdeError/);
  });
});
