import * as path from 'path';
import * as protobufjs from 'protobufjs';
import { protobuf } from '../../lib/serde/protobuf';
import { SerdeError } from '../../lib/errors/serde-error';
import type { Serde } from '../../lib/serde/serde';
import { StaticOrder, type IOrder } from './fixtures/static-order';
import { assertType, type Equal } from './fixtures/type-equality';

/** The plain-object shape of shop.Order from fixtures/order.proto. */
interface Order {
  id: string;
  quantity: number;
  total: number;
  items: string[];
}

const root = protobufjs.loadSync(path.join(__dirname, 'fixtures', 'order.proto'));
const OrderType = root.lookupType('shop.Order');

const captureError = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
};

describe('protobuf', () => {
  describe('with a reflected Type', () => {
    it('should round-trip a message', () => {
      const serde = protobuf<Order>(OrderType);
      const order: Order = { id: 'o-1', quantity: 3, total: 29.97, items: ['book', 'pen'] };

      const data = serde.serialize('orders', order);

      expect(Buffer.isBuffer(data)).toBe(true);
      expect(data).toEqual(Buffer.from(OrderType.encode(order).finish()));
      expect(serde.deserialize('orders', data)).toEqual(expect.objectContaining(order));
    });

    it('should round-trip unicode strings', () => {
      const serde = protobuf<Order>(OrderType);
      const order: Order = { id: 'ordre-é-山-🚀', quantity: 1, total: 1, items: ['Zoë'] };

      expect(serde.deserialize('orders', serde.serialize('orders', order))).toMatchObject(order);
    });

    it('should accept a Type built with Root.fromJSON', () => {
      const Point = protobufjs.Root.fromJSON({
        nested: {
          Point: { fields: { x: { type: 'sint32', id: 1 }, y: { type: 'sint32', id: 2 } } },
        },
      }).lookupType('Point');
      const serde = protobuf<{ x: number; y: number }>(Point);

      expect(serde.deserialize('points', serde.serialize('points', { x: -4, y: 7 }))).toMatchObject(
        { x: -4, y: 7 },
      );
    });

    it('should decode to a protobufjs Message when no message type is named', () => {
      const serde = protobuf(OrderType);

      const decoded = serde.deserialize(
        'orders',
        Buffer.from(OrderType.encode({ id: 'o-2' }).finish()),
      );

      assertType<Equal<typeof serde, Serde<ReturnType<typeof OrderType.decode> | null>>>();
      expect(decoded).toBeInstanceOf(protobufjs.Message);
      expect(OrderType.toObject(decoded!, { defaults: true })).toEqual({
        id: 'o-2',
        quantity: 0,
        total: 0,
        items: [],
      });
    });
  });

  describe('with a static-module class', () => {
    it('should round-trip a message and infer its type', () => {
      const serde = protobuf(StaticOrder);

      const decoded = serde.deserialize(
        'orders',
        serde.serialize('orders', new StaticOrder({ id: 'o-3', quantity: 2 })),
      );

      assertType<Equal<typeof serde, Serde<StaticOrder | null>>>();
      expect(decoded).toBeInstanceOf(StaticOrder);
      expect(decoded).toEqual(new StaticOrder({ id: 'o-3', quantity: 2 }));
    });

    it('should write the same bytes as the reflected type of the same schema', () => {
      const data = protobuf(StaticOrder).serialize(
        'orders',
        new StaticOrder({ id: 'o-4', quantity: 5 }),
      );

      expect(OrderType.toObject(OrderType.decode(data!))).toMatchObject({ id: 'o-4', quantity: 5 });
    });

    it('should accept plain properties when the properties interface is named', () => {
      const serde = protobuf<IOrder>(StaticOrder);

      const data = serde.serialize('orders', { id: 'o-5' });

      assertType<Equal<typeof serde, Serde<IOrder | null>>>();
      expect(serde.deserialize('orders', data)).toEqual(new StaticOrder({ id: 'o-5' }));
    });

    it('should reject a value of the wrong type at compile time', () => {
      const serde = protobuf(StaticOrder);

      // @ts-expect-error quantity must be a number
      expect(() => serde.serialize('orders', { id: 'x', quantity: 'many' })).toThrow(SerdeError);
    });
  });

  it('should map a tombstone (null) to null both ways', () => {
    const serde = protobuf<Order>(OrderType);

    expect(serde.serialize('orders', null)).toBeNull();
    expect(serde.deserialize('orders', null)).toBeNull();
  });

  it('should decode an empty payload to the default message (it is valid protobuf)', () => {
    expect(protobuf<Order>(OrderType).deserialize('orders', Buffer.alloc(0))).toMatchObject({
      id: '',
      quantity: 0,
    });
  });

  it('should verify before encoding and throw a SerdeError naming the topic and the problem', () => {
    const serde = protobuf<Order>(OrderType) as Serde<unknown>;

    const error = captureError(() => serde.serialize('orders', { id: 'o-1', quantity: 'three' }));

    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).topic).toBe('orders');
    expect((error as SerdeError).message).toBe(
      'protobuf serde cannot serialize a value for topic orders: invalid message: quantity: integer expected',
    );
  });

  it('should throw a SerdeError when serializing something that is not an object', () => {
    const serde = protobuf<Order>(OrderType) as Serde<unknown>;

    expect(() => serde.serialize('orders', 'o-1')).toThrow(
      'protobuf serde cannot serialize a value for topic orders: expected a message object, got a string',
    );
  });

  it.each([
    ['a truncated length-delimited field', Buffer.from([0x0a, 0x05, 0x61])],
    ['an invalid wire type', Buffer.from([0x0f])],
  ])('should throw a SerdeError naming the topic and the cause for %s', (_name, payload) => {
    const error = captureError(() => protobuf<Order>(OrderType).deserialize('orders', payload));

    expect(error).toBeInstanceOf(SerdeError);
    const serdeError = error as SerdeError;
    expect(serdeError.topic).toBe('orders');
    expect(serdeError.cause).toBeInstanceOf(Error);
    expect(serdeError.message).toBe(
      `protobuf serde cannot deserialize a payload of topic orders: ${(serdeError.cause as Error).message}`,
    );
  });

  it('should throw a SerdeError naming the field when a proto2 required field is missing', () => {
    const Strict = protobufjs
      .parse('syntax = "proto2"; message Strict { required string id = 1; optional int32 n = 2; }')
      .root.resolveAll()
      .lookupType('Strict');

    const error = captureError(() =>
      protobuf(Strict).deserialize('strict', Buffer.from([0x10, 0x01])),
    );

    expect(error).toBeInstanceOf(SerdeError);
    expect((error as SerdeError).message).toMatch(
      /^protobuf serde cannot deserialize a payload of topic strict: .*id/,
    );
  });

  it('should throw a SerdeError when a static class fails to decode', () => {
    expect(() => protobuf(StaticOrder).deserialize('orders', Buffer.from([0x0a, 0x09]))).toThrow(
      SerdeError,
    );
  });

  it('should throw a TypeError naming the problem when given something that is not a message type', () => {
    const notAType = { encode: () => null } as unknown as typeof StaticOrder;

    expect(() => protobuf(notAType)).toThrow(
      'Serdes.protobuf expects a protobufjs message type (with encode, decode and verify), got an object',
    );
  });
});
