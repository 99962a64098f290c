import { json } from '../../lib/serde/json';
import { SerdeError } from '../../lib/errors/serde-error';
import type { Serde } from '../../lib/serde/serde';
import { assertType, type Equal } from './fixtures/type-equality';

interface Order {
  id: number;
  customer: string;
  items: string[];
  note?: string;
}

const captureError = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
};

describe('json', () => {
  it('should round-trip a value through JSON in UTF-8', () => {
    const serde = json<Order>();
    const order: Order = { id: 1, customer: 'ada', items: ['book', 'pen'] };

    const data = serde.serialize('orders', order);

    expect(data).toEqual(Buffer.from('{"id":1,"customer":"ada","items":["book","pen"]}'));
    expect(serde.deserialize('orders', data)).toEqual(order);
  });

  it('should round-trip unicode text', () => {
    const serde = json<Order>();
    const order: Order = { id: 2, customer: 'Zoë 山田 🚀', items: ['ü'] };

    const data = serde.serialize('orders', order);

    expect(data!.toString('utf8')).toContain('Zoë 山田 🚀');
    expect(serde.deserialize('orders', data)).toEqual(order);
  });

  it('should map a tombstone (null) to null both ways', () => {
    const serde = json<Order>();

    expect(serde.serialize('orders', null)).toBeNull();
    expect(serde.deserialize('orders', null)).toBeNull();
  });

  it('should round-trip primitives and arrays', () => {
    const serde = json();

    for (const value of [0, 'text', true, [1, 'two', { three: 3 }]]) {
      expect(serde.deserialize('t', serde.serialize('t', value))).toEqual(value);
    }
  });

  it('should throw a SerdeError naming the topic and the parse error for malformed JSON', () => {
    const error = captureError(() => json<Order>().deserialize('orders', Buffer.from('{"id":1,')));

    expect(error).toBeInstanceOf(SerdeError);
    const serdeError = error as SerdeError;
    expect(serdeError.name).toBe('SerdeError');
    expect(serdeError.phase).toBe('serde');
    expect(serdeError.topic).toBe('orders');
    expect(serdeError.cause).toBeInstanceOf(SyntaxError);
    expect(serdeError.message).toBe(
      `json serde cannot deserialize a payload of topic orders: ${(serdeError.cause as Error).message}`,
    );
  });

  it('should throw a SerdeError for an empty payload (not a tombstone)', () => {
    const error = captureError(() => json().deserialize('orders', Buffer.alloc(0)));

    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).cause).toBeInstanceOf(SyntaxError);
  });

  it('should throw a SerdeError naming the topic when a value holds a BigInt', () => {
    const error = captureError(() => json().serialize('totals', { amount: 10n }));

    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).topic).toBe('totals');
    expect((error as SerdeError).cause).toBeInstanceOf(TypeError);
    expect((error as SerdeError).message).toMatch(
      /^json serde cannot serialize a value for topic totals: .*BigInt/,
    );
  });

  it('should throw a SerdeError when a value is circular', () => {
    const node: { name: string; self?: unknown } = { name: 'loop' };
    node.self = node;

    const error = captureError(() => json().serialize('graph', node));

    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).message).toMatch(
      /^json serde cannot serialize a value for topic graph: .*circular/i,
    );
  });

  it('should throw a SerdeError for a value JSON cannot represent at all', () => {
    const error = captureError(() => json().serialize('t', undefined));

    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).message).toBe(
      'json serde cannot serialize a value for topic t: undefined is not representable in JSON',
    );
  });

  it('should let the topology add partition and offset with at()', () => {
    const error = captureError(() =>
      json().deserialize('orders', Buffer.from('nope')),
    ) as SerdeError;

    const located = error.at({
      partition: 3,
      offset: '42',
      nodeName: 'SOURCE-0000000001',
      target: 'value',
    });

    expect(located).toBeInstanceOf(SerdeError);
    expect(located.message).toBe(
      `${error.message} (topic orders, partition 3, offset 42, node SOURCE-0000000001)`,
    );
    expect(located).toMatchObject({
      partition: 3,
      offset: '42',
      target: 'value',
      cause: error.cause,
    });
  });

  it('should apply a replacer and a reviver', () => {
    const serde = json<{ at: Date }>({
      replacer(_key, value) {
        return typeof value === 'bigint' ? value.toString() : value;
      },
      reviver: (key, value) => (key === 'at' ? new Date(value as string) : value),
    });
    const at = new Date('2024-05-01T10:00:00.000Z');

    const data = serde.serialize('events', { at });

    expect(data!.toString()).toBe('{"at":"2024-05-01T10:00:00.000Z"}');
    expect(serde.deserialize('events', data)).toEqual({ at });
    expect(
      json({ replacer: (_k, v) => (typeof v === 'bigint' ? Number(v) : v) }).serialize('t', 5n),
    ).toEqual(Buffer.from('5'));
  });

  it('should take options given as undefined as not given', () => {
    const serde = json<{ at: string }>({
      replacer: undefined,
      reviver: undefined,
      validate: undefined,
    });

    expect(serde.serialize('t', { at: 'now' })).toEqual(Buffer.from('{"at":"now"}'));
    expect(serde.deserialize('t', Buffer.from('{"at":"now"}'))).toEqual({ at: 'now' });
  });

  it('should infer Serde<T | null> from the type argument and unknown without one', () => {
    const orders = json<Order>();
    const anything = json();

    assertType<Equal<typeof orders, Serde<Order | null>>>();
    assertType<Equal<typeof anything, Serde<unknown>>>();
    expect(anything.deserialize('t', Buffer.from('[1]'))).toEqual([1]);
    // @ts-expect-error an Order needs a customer and items
    expect(() => orders.serialize('orders', { id: 1 })).not.toThrow();
  });
});
