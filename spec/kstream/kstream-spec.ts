import { filter as rxFilter } from 'rxjs';
import { TopologyError } from '../../lib/errors/topology-error';
import { DEFAULT_BRANCH } from '../../lib/kstream/default-branch';
import { KStream } from '../../lib/kstream/kstream';
import { filter } from '../../lib/kstream/operators/filter';
import { forEach } from '../../lib/kstream/operators/for-each';
import { map } from '../../lib/kstream/operators/map';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { to } from '../../lib/kstream/operators/to';
import type { BranchPredicate } from '../../lib/kstream/branch-predicate';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import { TerminalStream } from '../../lib/kstream/terminal-stream';
import type { Bytes } from '../../lib/serde/bytes';
import type { Serde } from '../../lib/serde/serde';
import { SerdeError } from '../../lib/errors/serde-error';
import { CollectingSink, failureOf, raw, run, taskInfo } from '../topology/fixtures';

interface Order {
  readonly id: string;
  readonly total: number;
}

const orderSerde: Serde<Order> = {
  serialize: (_topic, order) => Buffer.from(JSON.stringify(order)),
  deserialize: (_topic, data) => JSON.parse(String(data)) as Order,
};
const textSerde: Serde<string> = {
  serialize: (_topic, value) => Buffer.from(value),
  deserialize: (_topic, data) => String(data),
};

describe('KStream', () => {
  describe('pipe', () => {
    it('should return the next KStream, named after the last operator', () => {
      const stream = new StreamsBuilder().stream('orders', { value: orderSerde }).pipe(
        filter((_key, order) => order.total > 0),
        mapValues((order) => order.total),
      );

      expect(stream).toBeInstanceOf(KStream);
      expect(stream.nodeName).toBe('MAPVALUES-0000000003');
    });

    it('should return a TerminalStream when the last operator is a terminal', () => {
      const end = new StreamsBuilder().stream('orders', { value: orderSerde }).pipe(
        mapValues((order) => order.id),
        to('ids', { value: textSerde, name: 'ids-sink' }),
      );

      expect(end).toBeInstanceOf(TerminalStream);
      expect(end.nodeName).toBe('ids-sink');
      // @ts-expect-error a terminal stream cannot be piped further
      expect(end.pipe).toBeUndefined();
    });

    it('should return the same stream when given no operators', () => {
      const stream = new StreamsBuilder().stream('orders');

      expect(stream.pipe()).toBe(stream);
    });

    it('should refuse a terminal that is not last, before adding any node', () => {
      const builder = new StreamsBuilder();
      const stream = builder.stream('orders');

      const operators = [to<Bytes, Bytes>('x'), filter(() => true)] as const;
      // @ts-expect-error nothing may follow a terminal
      const pipeAfterTerminal = () => stream.pipe(...operators);

      expect(pipeAfterTerminal).toThrow(
        new TopologyError('pipe() argument 1 is a terminal (SINK): nothing can follow it'),
      );
      stream.to('out');
      expect(builder.build().nodes.map((node) => node.name)).toEqual([
        'SOURCE-0000000001',
        'SINK-0000000002',
      ]);
    });

    it('should refuse an RxJS operator that is not an rx-kstreams operator', () => {
      const stream = new StreamsBuilder().stream('orders');
      const plain = rxFilter(() => true);

      const operators = [filter(() => true), plain] as const;
      // @ts-expect-error a plain RxJS operator carries no node
      const pipePlain = () => stream.pipe(...operators);

      expect(pipePlain).toThrow(/pipe\(\) argument 2 is not an rx-kstreams operator/);
    });

    it('should fan out when a stream is piped twice', () => {
      const builder = new StreamsBuilder();
      const orders = builder.stream('orders');
      orders.to('a');
      orders.pipe(forEach(() => undefined));

      const [source] = builder.build().nodes;

      expect(source?._tag === 'Source' && source.children).toEqual([
        'SINK-0000000002',
        'FOREACH-0000000003',
      ]);
    });

    it('should type each operator from the one before it', () => {
      const stream = new StreamsBuilder()
        .stream('orders', { key: textSerde, value: orderSerde })
        .pipe(map((key, order) => ({ key: order.total, value: `${key}:${order.id}` })));
      const typed: KStream<number, string> = stream;

      // @ts-expect-error the value is a string now, not an Order
      typed.pipe(filter((_key, value: Order) => value.total > 0));
      // @ts-expect-error a serde of strings cannot write number keys
      const writeWithWrongSerde = () => typed.to('out', { key: textSerde });
      expect(typeof writeWithWrongSerde).toBe('function');
      expect(typed.nodeName).toBe('MAP-0000000002');
    });
  });

  describe('branch', () => {
    it('should return one stream per branch, named after the branch node', () => {
      const builder = new StreamsBuilder();
      const branches = builder.stream('orders', { value: orderSerde }).branch({
        big: (_key, order) => order.total > 100,
        other: DEFAULT_BRANCH,
      });

      expect(Object.keys(branches)).toEqual(['big', 'other']);
      expect(branches.big.nodeName).toBe('BRANCH-0000000002-big');
      expect(branches.other.nodeName).toBe('BRANCH-0000000002-other');
      // @ts-expect-error only the branches given exist
      expect(branches.missing).toBeUndefined();
    });

    it('should take DEFAULT_BRANCH from a branches object built before the call', () => {
      const builder = new StreamsBuilder();
      const branches = { big: (_key: Buffer | null, value: Buffer | null) => value !== null };
      const prepared = { ...branches, rest: DEFAULT_BRANCH };

      const { big, rest } = builder.stream('orders').branch(prepared);
      big.to('big');
      rest.to('rest');

      const [, branch] = builder.build().nodes;
      expect(branch).toMatchObject({ kind: 'BRANCH' });
      expect([big.nodeName, rest.nodeName, String(DEFAULT_BRANCH)]).toEqual([
        'BRANCH-0000000002-big',
        'BRANCH-0000000002-rest',
        'DEFAULT_BRANCH',
      ]);
    });

    it('should refuse a symbol key before adding any node', () => {
      const builder = new StreamsBuilder();
      const stream = builder.stream('orders');
      const branches = { [Symbol('big')]: () => true } as unknown as Record<string, () => boolean>;

      expect(() => stream.branch(branches)).toThrow(
        new TopologyError(
          'branch() got a symbol key (Symbol(big)): name each branch with a string',
        ),
      );
      stream.to('out');
      expect(builder.build().nodes.map((node) => node.name)).toEqual([
        'SOURCE-0000000001',
        'SINK-0000000002',
      ]);
    });

    it('should refuse a branch that is neither a predicate nor DEFAULT_BRANCH', () => {
      const stream = new StreamsBuilder().stream('orders');
      const notAPredicate = 'yes' as unknown as BranchPredicate<Buffer | null, Buffer | null>;

      expect(() => stream.branch({ odd: notAPredicate })).toThrow(
        new TopologyError(
          'branch "odd" of BRANCH-0000000002 is neither a predicate nor DEFAULT_BRANCH',
        ),
      );
    });
  });

  describe('to and forEach', () => {
    // What JavaScript (or a cast) can do: the types ask for serdes for anything but bytes.
    const untyped = <K, V>(stream: KStream<K, V>): KStream<Bytes, Bytes> =>
      stream as unknown as KStream<Bytes, Bytes>;

    it('should write bytes as they are when the sink has no serdes', async () => {
      const builder = new StreamsBuilder();
      builder.stream('in').to('out');
      const sink = new CollectingSink();

      await run(
        builder
          .build()
          .createTask(taskInfo())
          .process(raw('in', 'k', 'v'), sink),
      );

      expect(sink.sent).toEqual([
        { topic: 'out', key: 'k', value: 'v', nodeName: 'SINK-0000000002' },
      ]);
    });

    it('should fail a key that is not bytes without a key serde, naming the key, topic, node and serdes to give', async () => {
      const builder = new StreamsBuilder();
      untyped(builder.stream('in', { key: textSerde })).to('out');

      const error = await failureOf(
        builder
          .build()
          .createTask(taskInfo())
          .process(raw('in', 'k', 'v', { partition: 1, offset: '4' }), new CollectingSink()),
      );

      expect(error).toBeInstanceOf(SerdeError);
      expect(error).toMatchObject({ target: 'key', nodeName: 'SINK-0000000002', topic: 'in' });
      expect((error as Error).message).toBe(
        "a sink without a key serde writes keys as bytes, but the key for topic out is a string, not a Buffer or null: give it serdes, e.g. to('out', { key: Serdes.string(), value: Serdes.json() }) (topic in, partition 1, offset 4, node SINK-0000000002)",
      );
    });

    it('should fail a value that is not bytes without a value serde, naming the value and the topic picked', async () => {
      const builder = new StreamsBuilder();
      const orders = builder.stream('in', { key: textSerde, value: orderSerde });
      untyped(orders).to(() => 'orders-eu', {
        key: textSerde as Serde<unknown>,
        name: 'by-region',
      });

      const error = await failureOf(
        builder
          .build()
          .createTask(taskInfo())
          .process(raw('in', 'k', '{"id":"1","total":5}'), new CollectingSink()),
      );

      expect(error).toMatchObject({ target: 'value', nodeName: 'by-region' });
      expect((error as Error).message).toBe(
        'a sink without a value serde writes values as bytes, but the value for topic orders-eu is an object, not a Buffer or null: give it serdes, e.g. to(topic, { key: Serdes.string(), value: Serdes.json() }) (topic in, partition 0, offset 0, node by-region)',
      );
    });

    it('should end the stream like pipe(to(...)) and pipe(forEach(...))', () => {
      const builder = new StreamsBuilder();
      const orders = builder.stream('orders');

      const sink = orders.to('copy', { name: 'copy' });
      const each = orders.forEach(() => undefined, { name: 'each' });

      expect(sink).toBeInstanceOf(TerminalStream);
      expect([sink.nodeName, each.nodeName]).toEqual(['copy', 'each']);
      expect(builder.build().sinkTopics).toEqual(['copy']);
    });
  });
});
