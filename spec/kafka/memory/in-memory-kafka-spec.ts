import { ConfigError } from '../../../lib/errors/config-error';
import { InMemoryKafka } from '../../../lib/kafka/memory/in-memory-kafka';
import { InMemoryKafkaError } from '../../../lib/kafka/memory/in-memory-kafka-error';
import { partitionForKey } from '../../../lib/kafka/murmur2';
import type { InMemoryRecordInput } from '../../../lib/kafka/memory/record-input';
import { pollNow, startConsumer, values } from './fixtures/kit';

const errorOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('InMemoryKafka', () => {
  describe('options', () => {
    it.each([
      [{ defaultPartitions: 0 }, 'defaultPartitions'],
      [{ defaultPartitions: 1.5 }, 'defaultPartitions'],
      [{ autoCreateTopics: 'yes' }, 'autoCreateTopics'],
      [{ produceLatencyMs: -1 }, 'produceLatencyMs'],
      [{ produceLatencyMs: Infinity }, 'produceLatencyMs'],
      [{ now: 42 }, 'now'],
    ])('should reject %p with a ConfigError naming %s', (options, option) => {
      const error = errorOf(() => new InMemoryKafka(options as never));

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
    });

    it('should take options given as undefined as not given', () => {
      const kafka = new InMemoryKafka({
        defaultPartitions: undefined,
        autoCreateTopics: undefined,
        produceLatencyMs: undefined,
        now: undefined,
      });

      kafka.produce('orders', [
        {
          key: undefined,
          value: 'a',
          headers: undefined,
          partition: undefined,
          timestamp: undefined,
        },
      ]);

      expect(kafka.partitionCount('orders')).toBe(1);
      expect(kafka.records('orders')).toMatchObject([{ key: null, partition: 0, headers: {} }]);
      expect(kafka.client({ groupId: 'g', fromBeginning: undefined }).groupId).toBe('g');
    });

    it('should reject options that are not an object', () => {
      expect(() => new InMemoryKafka('fast' as never)).toThrow(ConfigError);
    });

    it('should auto-create topics with defaultPartitions', () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 4 });

      kafka.produce('orders', [{ value: 'a' }]);

      expect(kafka.topics()).toEqual(['orders']);
      expect(kafka.partitionCount('orders')).toBe(4);
    });

    it('should refuse unknown topics when autoCreateTopics is false', () => {
      const kafka = new InMemoryKafka({ autoCreateTopics: false });

      const error = errorOf(() => kafka.produce('orders', [{ value: 'a' }]));

      expect(error).toBeInstanceOf(InMemoryKafkaError);
      expect((error as InMemoryKafkaError).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
      expect((error as Error).message).toMatch(/"orders" does not exist.*createTopic/);
      expect(kafka.topics()).toEqual([]);
    });

    it('should stamp records with the current Date.now by default, fake timers included', () => {
      const kafka = new InMemoryKafka();
      jest.useFakeTimers({ now: 1_000 });
      try {
        kafka.produce('t', [{ value: 'a' }]);
        jest.setSystemTime(2_000);
        kafka.produce('t', [{ value: 'b' }]);
      } finally {
        jest.useRealTimers();
      }

      expect(kafka.records('t').map((r) => r.timestamp)).toEqual([1_000, 2_000]);
    });

    it('should stamp records with the injected clock', () => {
      const kafka = new InMemoryKafka({ now: () => 1_700_000_000_000 });

      kafka.produce('t', [{ value: 'a' }, { value: 'b', timestamp: 5 }]);

      expect(kafka.records('t').map((r) => r.timestamp)).toEqual([1_700_000_000_000, 5]);
    });
  });

  describe('createTopic', () => {
    it('should create a topic with its partitions, empty', () => {
      const kafka = new InMemoryKafka();

      kafka.createTopic('b', { partitions: 3 });
      kafka.createTopic('a', { partitions: 1 });

      expect(kafka.topics()).toEqual(['a', 'b']);
      expect(kafka.partitionCount('b')).toBe(3);
      expect(kafka.endOffsets('b')).toEqual({ 0: '0', 1: '0', 2: '0' });
    });

    it('should be idempotent with the same partition count', () => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('t', { partitions: 2 });
      kafka.produce('t', [{ value: 'kept', partition: 1 }]);

      kafka.createTopic('t', { partitions: 2 });

      expect(values(kafka.records('t'))).toEqual(['kept']);
    });

    it('should refuse to recreate a topic with another partition count', () => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('t', { partitions: 2 });

      const error = errorOf(() => kafka.createTopic('t', { partitions: 3 }));

      expect((error as InMemoryKafkaError).code).toBe('TOPIC_ALREADY_EXISTS');
      expect((error as Error).message).toContain('already exists with 2 partitions, not 3');
    });

    it.each([0, -1, 2.5, undefined])('should reject %p partitions with a ConfigError', (n) => {
      const kafka = new InMemoryKafka();

      expect(() => kafka.createTopic('t', { partitions: n as number })).toThrow(ConfigError);
      expect(kafka.topics()).toEqual([]);
    });

    it.each([
      ['empty', ''],
      ['"."', '.'],
      ['".."', '..'],
      ['with a space', 'has space'],
      ['with a slash', 'a/b'],
      ['of 250 characters', 'x'.repeat(250)],
    ])('should reject an illegal topic name (%s)', (_what, name) => {
      const error = errorOf(() => new InMemoryKafka().createTopic(name, { partitions: 1 }));

      expect((error as InMemoryKafkaError).code).toBe('INVALID_TOPIC');
    });

    it('should accept every legal character in a name', () => {
      const kafka = new InMemoryKafka();

      kafka.createTopic('Orders_v2.eu-west', { partitions: 1 });

      expect(kafka.topics()).toEqual(['Orders_v2.eu-west']);
    });
  });

  describe('partitionCount', () => {
    it('should throw for an unknown topic', () => {
      expect(() => new InMemoryKafka().partitionCount('nope')).toThrow(/"nope" does not exist/);
    });
  });

  describe('produce', () => {
    it('should append and return where each record landed, offsets from "0"', () => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('t', { partitions: 2 });

      const metadata = kafka.produce('t', [
        { value: 'a', partition: 1 },
        { value: 'b', partition: 1 },
        { value: 'c', partition: 0 },
      ]);

      expect(metadata).toEqual([
        { topic: 't', partition: 1, offset: '0' },
        { topic: 't', partition: 1, offset: '1' },
        { topic: 't', partition: 0, offset: '0' },
      ]);
      expect(kafka.endOffsets('t')).toEqual({ 0: '1', 1: '2' });
    });

    it('should send keyed records to the partition the Java client would choose', () => {
      const kafka = new InMemoryKafka();
      kafka.createTopic('t', { partitions: 7 });
      const keys = Array.from({ length: 50 }, (_, i) => `customer-${i}`);

      const metadata = kafka.produce(
        't',
        keys.map((key) => ({ key, value: 'v' })),
      );

      expect(metadata.map((m) => m.partition)).toEqual(
        keys.map((key) => partitionForKey(Buffer.from(key), 7)),
      );
    });

    it('should send string and Buffer keys with the same bytes to the same partition', () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 5 });

      const [fromString, fromBuffer] = kafka.produce('t', [
        { key: 'same', value: '1' },
        { key: Buffer.from('same'), value: '2' },
      ]);

      expect(fromBuffer!.partition).toBe(fromString!.partition);
    });

    it('should spread null and absent keys round-robin from partition 0', () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 3 });

      const first = kafka.produce('t', [{ value: 'a' }, { key: null, value: 'b' }]);
      const second = kafka.produce('t', [{ value: 'c' }, { value: 'd' }]);

      expect([...first, ...second].map((m) => m.partition)).toEqual([0, 1, 2, 0]);
    });

    it('should keep an explicit partition over the key', () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 4 });
      const keyed = partitionForKey(Buffer.from('k'), 4);

      const [meta] = kafka.produce('t', [{ key: 'k', value: 'v', partition: (keyed + 1) % 4 }]);

      expect(meta!.partition).toBe((keyed + 1) % 4);
    });

    it('should store null values (tombstones) and null keys as null', () => {
      const kafka = new InMemoryKafka();

      kafka.produce('t', [{ key: 'gone', value: null }, { value: 'x' }]);

      const [tombstone, keyless] = kafka.records('t');
      expect(tombstone!.key).toEqual(Buffer.from('gone'));
      expect(tombstone!.value).toBeNull();
      expect(keyless!.key).toBeNull();
    });

    it('should encode strings as UTF-8 and copy Buffers and headers', () => {
      const kafka = new InMemoryKafka();
      const value = Buffer.from('before');

      kafka.produce('t', [
        { value, headers: { trace: 'ü', raw: Buffer.from([1, 2]), none: undefined } },
      ]);
      value.write('AFTER!');

      const [record] = kafka.records('t');
      expect(record!.value!.toString()).toBe('before');
      expect(record!.headers).toEqual({
        trace: Buffer.from('ü', 'utf8'),
        raw: Buffer.from([1, 2]),
        none: undefined,
      });
    });

    it('should return complete raw StreamRecords', () => {
      const kafka = new InMemoryKafka({ now: () => 99 });

      kafka.produce('t', [{ key: 'k', value: 'v' }]);

      expect(kafka.records('t')).toEqual([
        {
          key: Buffer.from('k'),
          value: Buffer.from('v'),
          topic: 't',
          partition: 0,
          offset: '0',
          timestamp: 99,
          headers: {},
        },
      ]);
    });

    it('should hand out frozen records', () => {
      const kafka = new InMemoryKafka();
      kafka.produce('t', [{ value: 'v', headers: { h: 'x' } }]);

      const [record] = kafka.records('t');

      expect(Object.isFrozen(record)).toBe(true);
      expect(Object.isFrozen(record!.headers)).toBe(true);
    });

    it('should reject a partition that does not exist, appending nothing', () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });

      const error = errorOf(() =>
        kafka.produce('t', [
          { value: 'ok', partition: 0 },
          { value: 'bad', partition: 2 },
        ]),
      );

      expect((error as InMemoryKafkaError).code).toBe('UNKNOWN_TOPIC_OR_PARTITION');
      expect((error as Error).message).toBe(
        'record 1 for "t": partition 2 does not exist in topic "t" (2 partitions)',
      );
      expect(kafka.records('t')).toEqual([]);
    });

    it.each<[string, unknown, RegExp]>([
      ['a negative partition', { value: 'v', partition: -1 }, /partition must be an integer >= 0/],
      ['a fractional partition', { value: 'v', partition: 0.5 }, /partition must be an integer/],
      ['a missing value', { key: 'k' }, /has no value \(use null for a tombstone\)/],
      [
        'a numeric value',
        { value: 42 },
        /value must be a string, a Buffer or null, got a number 42/,
      ],
      ['an object key', { key: { id: 1 }, value: 'v' }, /key must be .* got an object/],
      ['a bad header', { value: 'v', headers: { h: 1 } }, /header "h" must be/],
      [
        'headers as an array',
        { value: 'v', headers: [] },
        /headers must be an object, got an array/,
      ],
      ['a NaN timestamp', { value: 'v', timestamp: NaN }, /timestamp must be a finite number/],
      ['a record that is not an object', 'v', /must be an object, got a string "v"/],
      ['a null record', null, /must be an object, got null/],
    ])('should reject %s as INVALID_RECORD', (_what, record, message) => {
      const kafka = new InMemoryKafka();

      const error = errorOf(() => kafka.produce('t', [record as InMemoryRecordInput]));

      expect((error as InMemoryKafkaError).code).toBe('INVALID_RECORD');
      expect((error as Error).message).toMatch(message);
    });

    it('should reject records that are not an array', () => {
      const error = errorOf(() => new InMemoryKafka().produce('t', { value: 'v' } as never));

      expect((error as InMemoryKafkaError).code).toBe('INVALID_ARGUMENT');
    });

    it('should accept an empty batch', () => {
      const kafka = new InMemoryKafka();

      expect(kafka.produce('t', [])).toEqual([]);
      expect(kafka.endOffsets('t')).toEqual({ 0: '0' });
    });
  });

  describe('records', () => {
    it('should list partition by partition, each in offset order', () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      kafka.produce('t', [
        { value: 'p1-0', partition: 1 },
        { value: 'p0-0', partition: 0 },
        { value: 'p1-1', partition: 1 },
      ]);

      expect(kafka.records('t').map((r) => `${r.partition}/${r.offset}/${r.value}`)).toEqual([
        '0/0/p0-0',
        '1/0/p1-0',
        '1/1/p1-1',
      ]);
    });

    it('should return [] and {} for an unknown topic without creating it', () => {
      const kafka = new InMemoryKafka();

      expect(kafka.records('nope')).toEqual([]);
      expect(kafka.endOffsets('nope')).toEqual({});
      expect(kafka.topics()).toEqual([]);
    });
  });

  describe('committedOffsets and lag', () => {
    it('should report what the group committed and what it has left', async () => {
      const kafka = new InMemoryKafka({ defaultPartitions: 2 });
      kafka.produce('a', [
        { value: '1', partition: 0 },
        { value: '2', partition: 0 },
        { value: '3', partition: 1 },
      ]);
      const consumer = await startConsumer(kafka, 'g', ['a']);
      await pollNow(consumer);

      await consumer.commit([{ topic: 'a', partition: 0, offset: '2' }]);

      expect(kafka.committedOffsets('g')).toEqual({ a: { 0: '2' } });
      expect(kafka.lag('g')).toBe(1);
      await consumer.commit([{ topic: 'a', partition: 1, offset: '1' }]);
      expect(kafka.committedOffsets('g')).toEqual({ a: { 0: '2', 1: '1' } });
      expect(kafka.lag('g')).toBe(0);
      await consumer.close();
    });

    it('should keep the committed offsets after every member left', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('a', [{ value: '1' }, { value: '2' }, { value: '3' }]);
      const consumer = await startConsumer(kafka, 'g', ['a']);
      await pollNow(consumer);
      await consumer.commit([{ topic: 'a', partition: 0, offset: '2' }]);

      await consumer.close();

      expect(kafka.committedOffsets('g')).toEqual({ a: { 0: '2' } });
      expect(kafka.lag('g')).toBe(1);
    });

    it('should count a subscribed partition without a commit from offset 0', async () => {
      const kafka = new InMemoryKafka();
      kafka.produce('a', [{ value: '1' }, { value: '2' }]);

      const consumer = await startConsumer(kafka, 'g', ['a']);

      expect(kafka.lag('g')).toBe(2);
      await consumer.close();
    });

    it('should report nothing for an unknown group', () => {
      const kafka = new InMemoryKafka();

      expect(kafka.committedOffsets('nobody')).toEqual({});
      expect(kafka.lag('nobody')).toBe(0);
      expect(kafka.groupState('nobody')).toEqual([]);
    });
  });

  describe('client', () => {
    it('should bind a client to its group', () => {
      const client = new InMemoryKafka().client({ groupId: 'billing' });

      expect(client.groupId).toBe('billing');
    });

    it('should name members after the group, counting from 1', () => {
      const kafka = new InMemoryKafka();
      const a = kafka.client({ groupId: 'g' });
      const b = kafka.client({ groupId: 'g' });

      expect(
        [a.createConsumer(), b.createConsumer(), a.createConsumer()].map((c) => c.memberId),
      ).toEqual(['g-member-1', 'g-member-2', 'g-member-3']);
      expect(kafka.client({ groupId: 'h' }).createConsumer().memberId).toBe('h-member-1');
    });

    it.each([
      [{ groupId: '' }, 'groupId'],
      [{ groupId: 7 }, 'groupId'],
      [undefined, 'groupId'],
      [{ groupId: 'g', fromBeginning: 'no' }, 'fromBeginning'],
    ])('should reject %j with a ConfigError naming %s', (options, option) => {
      const error = errorOf(() => new InMemoryKafka().client(options as never));

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
    });
  });
});
