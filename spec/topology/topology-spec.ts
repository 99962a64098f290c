import { DEFAULT_BRANCH } from '../../lib/kstream/default-branch';
import { filter } from '../../lib/kstream/operators/filter';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { process } from '../../lib/kstream/operators/process';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import type { Topology } from '../../lib/topology/topology';

/** orders → filter → branch(big, rest); big → sink; rest → mapValues → forEach; audit → sink by function. */
const sample = (): Topology => {
  const builder = new StreamsBuilder();
  const { big, rest } = builder
    .stream(['orders', 'orders-retry'])
    .pipe(filter(() => true))
    .branch({ big: () => true, rest: DEFAULT_BRANCH }, { name: 'by-size' });
  big.to('big-orders');
  rest.pipe(mapValues((v) => v, { name: 'copy "value"' })).forEach(() => undefined);
  builder
    .stream('audit')
    .pipe(process(() => ({ process: () => undefined })))
    .to(() => 'audit-copy');
  return builder.build();
};

describe('Topology', () => {
  it('should list its source topics in source order', () => {
    expect(sample().sourceTopics).toEqual(['orders', 'orders-retry', 'audit']);
  });

  it('should list only the sink topics named up front', () => {
    expect(sample().sinkTopics).toEqual(['big-orders']);
  });

  it('should list each sink topic once', () => {
    const builder = new StreamsBuilder();
    const orders = builder.stream('orders');
    orders.to('copy');
    orders.to('copy');

    expect(builder.build().sinkTopics).toEqual(['copy']);
  });

  it('should describe every node with its kind, parent and children', () => {
    expect(sample().nodes).toEqual([
      {
        _tag: 'Source',
        name: 'SOURCE-0000000001',
        kind: 'SOURCE',
        topics: ['orders', 'orders-retry'],
        children: ['FILTER-0000000002'],
      },
      {
        _tag: 'Processor',
        name: 'FILTER-0000000002',
        kind: 'FILTER',
        parent: 'SOURCE-0000000001',
        children: ['by-size'],
      },
      {
        _tag: 'Processor',
        name: 'by-size',
        kind: 'BRANCH',
        parent: 'FILTER-0000000002',
        children: ['by-size-big', 'by-size-rest'],
      },
      {
        _tag: 'Processor',
        name: 'by-size-big',
        kind: 'BRANCHCHILD',
        parent: 'by-size',
        children: ['SINK-0000000003'],
      },
      {
        _tag: 'Sink',
        name: 'SINK-0000000003',
        kind: 'SINK',
        topic: 'big-orders',
        parent: 'by-size-big',
      },
      {
        _tag: 'Processor',
        name: 'by-size-rest',
        kind: 'BRANCHCHILD',
        parent: 'by-size',
        children: ['copy "value"'],
      },
      {
        _tag: 'Processor',
        name: 'copy "value"',
        kind: 'MAPVALUES',
        parent: 'by-size-rest',
        children: ['FOREACH-0000000004'],
      },
      {
        _tag: 'Processor',
        name: 'FOREACH-0000000004',
        kind: 'FOREACH',
        parent: 'copy "value"',
        children: [],
      },
      {
        _tag: 'Source',
        name: 'SOURCE-0000000005',
        kind: 'SOURCE',
        topics: ['audit'],
        children: ['PROCESSOR-0000000006'],
      },
      {
        _tag: 'Processor',
        name: 'PROCESSOR-0000000006',
        kind: 'PROCESSOR',
        parent: 'SOURCE-0000000005',
        children: ['SINK-0000000007'],
      },
      {
        _tag: 'Sink',
        name: 'SINK-0000000007',
        kind: 'SINK',
        topic: undefined,
        parent: 'PROCESSOR-0000000006',
      },
    ]);
  });

  it('should keep its node list frozen', () => {
    const nodes = sample().nodes;

    expect(Object.isFrozen(nodes)).toBe(true);
    expect(Object.isFrozen(nodes[0])).toBe(true);
  });

  describe('describe', () => {
    it('should print a tree like Kafka Streams, one sub-topology per source', () => {
      expect(sample().describe()).toBe(
        [
          'Topologies:',
          '   Sub-topology: 0',
          '    Source: SOURCE-0000000001 (topics: [orders, orders-retry])',
          '      --> FILTER-0000000002',
          '    Processor: FILTER-0000000002 (kind: FILTER)',
          '      --> by-size',
          '      <-- SOURCE-0000000001',
          '    Processor: by-size (kind: BRANCH)',
          '      --> by-size-big, by-size-rest',
          '      <-- FILTER-0000000002',
          '    Processor: by-size-big (kind: BRANCHCHILD)',
          '      --> SINK-0000000003',
          '      <-- by-size',
          '    Sink: SINK-0000000003 (topic: big-orders)',
          '      <-- by-size-big',
          '    Processor: by-size-rest (kind: BRANCHCHILD)',
          '      --> copy "value"',
          '      <-- by-size',
          '    Processor: copy "value" (kind: MAPVALUES)',
          '      --> FOREACH-0000000004',
          '      <-- by-size-rest',
          '    Processor: FOREACH-0000000004 (kind: FOREACH)',
          '      --> none',
          '      <-- copy "value"',
          '   Sub-topology: 1',
          '    Source: SOURCE-0000000005 (topics: [audit])',
          '      --> PROCESSOR-0000000006',
          '    Processor: PROCESSOR-0000000006 (kind: PROCESSOR)',
          '      --> SINK-0000000007',
          '      <-- SOURCE-0000000005',
          '    Sink: SINK-0000000007 (topic: <chosen per record>)',
          '      <-- PROCESSOR-0000000006',
          '',
        ].join('\n'),
      );
    });

    it('should be what toString() returns', () => {
      const topology = sample();

      expect(String(topology)).toBe(topology.describe());
    });
  });

  describe('toMermaid', () => {
    it('should draw a graph TD flowchart with topics, nodes and labelled branch edges', () => {
      expect(sample().toMermaid()).toBe(
        [
          'graph TD',
          '  n0(["SOURCE-0000000001"])',
          '  t0[("orders")]',
          '  t1[("orders-retry")]',
          '  n1["FILTER-0000000002"]',
          '  n2{"by-size<br/>BRANCH"}',
          '  n3["by-size-big<br/>BRANCHCHILD"]',
          '  n4(["SINK-0000000003"])',
          '  t2[("big-orders")]',
          '  n5["by-size-rest<br/>BRANCHCHILD"]',
          '  n6["copy #quot;value#quot;<br/>MAPVALUES"]',
          '  n7["FOREACH-0000000004"]',
          '  n8(["SOURCE-0000000005"])',
          '  t3[("audit")]',
          '  n9["PROCESSOR-0000000006"]',
          '  n10(["SINK-0000000007"])',
          '  t0 --> n0',
          '  t1 --> n0',
          '  n0 --> n1',
          '  n1 --> n2',
          '  n2 -->|"big"| n3',
          '  n3 --> n4',
          '  n4 --> t2',
          '  n2 -->|"rest"| n5',
          '  n5 --> n6',
          '  n6 --> n7',
          '  t3 --> n8',
          '  n8 --> n9',
          '  n9 --> n10',
          '',
        ].join('\n'),
      );
    });
  });
});
