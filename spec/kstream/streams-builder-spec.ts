import { TopologyError } from '../../lib/errors/topology-error';
import { DEFAULT_BRANCH } from '../../lib/kstream/default-branch';
import { filter } from '../../lib/kstream/operators/filter';
import { forEach } from '../../lib/kstream/operators/for-each';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { process } from '../../lib/kstream/operators/process';
import { to } from '../../lib/kstream/operators/to';
import type { Processor } from '../../lib/topology/processor';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import { Topology } from '../../lib/topology/topology';

const buildError = (builder: StreamsBuilder): TopologyError => {
  try {
    builder.build();
  } catch (error) {
    if (error instanceof TopologyError) return error;
    throw error;
  }
  throw new Error('expected build() to throw a TopologyError');
};

const names = (topology: Topology): string[] => topology.nodes.map((node) => node.name);

describe('StreamsBuilder', () => {
  describe('naming', () => {
    it('should name nodes KIND-<10-digit counter> in the order they are added', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        filter(() => true),
        mapValues((v) => v),
        to('out'),
      );

      expect(names(builder.build())).toEqual([
        'SOURCE-0000000001',
        'FILTER-0000000002',
        'MAPVALUES-0000000003',
        'SINK-0000000004',
      ]);
    });

    it('should use the names users give, without using up a number', () => {
      const builder = new StreamsBuilder();
      builder.stream('in', { name: 'orders' }).pipe(
        filter(() => true, { name: 'positive' }),
        mapValues((v) => v),
        to('out', { name: 'sink' }),
      );

      expect(names(builder.build())).toEqual([
        'orders',
        'positive',
        'MAPVALUES-0000000001',
        'sink',
      ]);
    });

    it('should take a name given as undefined as no name', () => {
      const builder = new StreamsBuilder();
      const source = builder.stream('in', { key: undefined, value: undefined, name: undefined });
      const { all } = source.branch({ all: () => true }, { name: undefined });
      all.pipe(to('out', { key: undefined, value: undefined, name: undefined }));

      expect(names(builder.build())).toEqual([
        'SOURCE-0000000001',
        'BRANCH-0000000002',
        'BRANCH-0000000002-all',
        'SINK-0000000003',
      ]);
    });

    it('should keep one counter across several sources', () => {
      const builder = new StreamsBuilder();
      builder.stream('a').to('x');
      builder.stream('b').forEach(() => undefined);

      expect(names(builder.build())).toEqual([
        'SOURCE-0000000001',
        'SINK-0000000002',
        'SOURCE-0000000003',
        'FOREACH-0000000004',
      ]);
    });

    it('should name branch streams <branch node>-<branch name>', () => {
      const builder = new StreamsBuilder();
      const { big, rest } = builder
        .stream('in')
        .branch({ big: () => true, rest: DEFAULT_BRANCH }, { name: 'split' });
      big.to('big');
      rest.to('rest');

      expect(names(builder.build())).toEqual([
        'SOURCE-0000000001',
        'split',
        'split-big',
        'SINK-0000000002',
        'split-rest',
        'SINK-0000000003',
      ]);
      expect(big.nodeName).toBe('split-big');
    });
  });

  describe('stream', () => {
    it('should accept one topic or a list of topics', () => {
      const builder = new StreamsBuilder();
      builder.stream('a').to('x');
      builder.stream(['b', 'c']).to('y');

      expect(builder.build().sourceTopics).toEqual(['a', 'b', 'c']);
    });
  });

  describe('build', () => {
    it('should return a Topology that later changes to the builder leave alone', () => {
      const builder = new StreamsBuilder();
      const stream = builder.stream('in');
      stream.to('out');
      const topology = builder.build();

      stream.to('later');
      builder.stream('other').to('x');

      expect(topology).toBeInstanceOf(Topology);
      expect(topology.sinkTopics).toEqual(['out']);
      expect(topology.sourceTopics).toEqual(['in']);
      expect(builder.build().sinkTopics).toEqual(['out', 'later', 'x']);
    });

    it('should reject a topology with no source', () => {
      expect(buildError(new StreamsBuilder()).message).toContain('the topology has no source');
    });

    it('should reject a stream that ends without a terminal, naming its last node', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(filter(() => true));

      const error = buildError(builder);

      expect(error.name).toBe('TopologyError');
      expect(error.message).toContain(
        'node FILTER-0000000002 (FILTER) ends a stream without a terminal',
      );
    });

    it('should reject a source nothing is piped from', () => {
      const builder = new StreamsBuilder();
      builder.stream('in');

      expect(buildError(builder).message).toContain(
        'node SOURCE-0000000001 (SOURCE) ends a stream',
      );
    });

    it('should reject an unused branch', () => {
      const builder = new StreamsBuilder();
      const { used } = builder.stream('in').branch({ used: () => true, unused: () => true });
      used.to('out');

      expect(buildError(builder).message).toContain(
        'node BRANCH-0000000002-unused (BRANCHCHILD) ends a stream without a terminal',
      );
    });

    it('should reject two nodes with one name', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        filter(() => true, { name: 'twice' }),
        to('out', { name: 'twice' }),
      );

      expect(buildError(builder).message).toContain(
        '2 nodes are named "twice" (FILTER, SINK); node names must be unique',
      );
    });

    it('should reject an empty node name', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        filter(() => true, { name: '' }),
        to('out'),
      );

      expect(buildError(builder).message).toContain('a FILTER node has an empty name ("")');
    });

    it('should reject a branch set with no branches', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').branch({});

      const message = buildError(builder).message;

      expect(message).toContain('branch node BRANCH-0000000002 has no branches');
      expect(message).not.toContain('BRANCH-0000000002 (BRANCH) ends a stream');
    });

    it('should reject more than one DEFAULT_BRANCH', () => {
      const builder = new StreamsBuilder();
      const { a, b } = builder.stream('in').branch({ a: DEFAULT_BRANCH, b: DEFAULT_BRANCH });
      a.to('a');
      b.to('b');

      expect(buildError(builder).message).toContain(
        'branch node BRANCH-0000000002 has 2 DEFAULT_BRANCH branches (a, b); it may have one',
      );
    });

    it('should reject a topic read by two sources, naming both', () => {
      const builder = new StreamsBuilder();
      builder.stream(['a', 'shared']).to('x');
      builder.stream('shared', { name: 'second' }).to('y');

      expect(buildError(builder).message).toContain(
        'topic "shared" is read by two sources: SOURCE-0000000001 and second',
      );
    });

    it('should reject a topic listed twice by one source', () => {
      const builder = new StreamsBuilder();
      builder.stream(['a', 'a']).to('x');

      expect(buildError(builder).message).toContain(
        'source SOURCE-0000000001 lists topic "a" twice',
      );
    });

    it('should reject an empty topic list', () => {
      const builder = new StreamsBuilder();
      builder.stream([]).to('x');

      expect(buildError(builder).message).toContain('source SOURCE-0000000001 has no topics');
    });

    it('should reject an empty source topic name', () => {
      const builder = new StreamsBuilder();
      builder.stream('').to('x');

      expect(buildError(builder).message).toContain(
        'source SOURCE-0000000001 has an empty topic name ("")',
      );
    });

    it('should reject an empty sink topic name', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('');

      expect(buildError(builder).message).toContain('sink SINK-0000000002 has an empty topic name');
    });

    it('should reject a process supplier that returns the same instance twice', () => {
      const shared: Processor<Buffer | null, Buffer | null> = { process: () => undefined };
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        process(() => shared, { name: 'shared' }),
        to('out'),
      );

      expect(buildError(builder).message).toContain(
        'the process supplier of shared returned the same processor instance twice',
      );
    });

    it('should reject a process supplier that throws', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        process(() => {
          throw new Error('no config');
        }),
        to('out'),
      );

      expect(buildError(builder).message).toContain(
        'the process supplier of PROCESSOR-0000000002 threw: no config',
      );
    });

    it('should reject a process supplier that returns something without process()', () => {
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        process(() => ({}) as unknown as Processor<Buffer | null, Buffer | null>),
        to('out'),
      );

      expect(buildError(builder).message).toContain(
        'the process supplier of PROCESSOR-0000000002 returned an object, not a processor',
      );
    });

    it('should call each process supplier twice to check it', () => {
      const supplier = jest.fn(() => ({ process: () => undefined }));
      const builder = new StreamsBuilder();
      builder.stream('in').pipe(
        process(supplier),
        forEach(() => undefined),
      );

      builder.build();

      expect(supplier).toHaveBeenCalledTimes(2);
    });

    it('should list every problem in one error', () => {
      const builder = new StreamsBuilder();
      builder.stream('').pipe(filter(() => true));

      const lines = buildError(builder).message.split('\n');

      expect(lines[0]).toBe('invalid topology:');
      expect(lines.slice(1)).toEqual([
        '  - source SOURCE-0000000001 has an empty topic name ("")',
        '  - node FILTER-0000000002 (FILTER) ends a stream without a terminal: pipe it into to(...) or forEach(...)',
      ]);
    });
  });
});
