import * as E from 'fp-ts/lib/Either.js';
import { SerdeError } from '../../lib/errors/serde-error';
import { json } from '../../lib/serde/json';
import type { Serde } from '../../lib/serde/serde';
import type {
  StandardSchemaIssue,
  StandardSchemaResult,
  StandardSchemaV1,
} from '../../lib/serde/standard-schema';
import type { Decoder } from '../../lib/serde/validator';
import { assertType, type Equal } from './fixtures/type-equality';

interface Line {
  sku: string;
  qty: number;
}
interface Order {
  id: string;
  lines: Line[];
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

// What zod, valibot or arktype would find, written by hand: the tests add no schema library.
const orderIssues = (u: unknown): StandardSchemaIssue[] => {
  if (!isRecord(u)) return [{ message: 'Expected an object' }];
  const issues: StandardSchemaIssue[] = [];
  if (typeof u['id'] !== 'string') issues.push({ message: 'Required', path: ['id'] });
  if (!Array.isArray(u['lines'])) issues.push({ message: 'Expected an array', path: ['lines'] });
  else
    u['lines'].forEach((line: unknown, i) => {
      if (!isRecord(line) || typeof line['qty'] !== 'number') {
        issues.push({ message: 'Expected number', path: ['lines', { key: i }, 'qty'] });
      }
    });
  return issues;
};

const orderSchema: StandardSchemaV1<Order> = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate: (value): StandardSchemaResult<Order> => {
      const issues = orderIssues(value);
      return issues.length === 0 ? { value: value as Order } : { issues };
    },
  },
};

const decodeOrder: Decoder<Order> = (u) =>
  orderIssues(u).length === 0 ? E.right(u as Order) : E.left('not an Order');

const captureError = (fn: () => unknown): SerdeError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SerdeError) return e;
    throw e;
  }
  throw new Error('expected the call to throw');
};

const ORDER = '{"id":"o-1","lines":[{"sku":"pen","qty":2}]}';

describe('json({ validate })', () => {
  describe('with a Standard Schema', () => {
    it('should give a payload the schema accepts, and infer T from the schema', () => {
      const orders = json({ validate: orderSchema });

      assertType<Equal<typeof orders, Serde<Order | null>>>();
      expect(orders.deserialize('orders', Buffer.from(ORDER))).toEqual({
        id: 'o-1',
        lines: [{ sku: 'pen', qty: 2 }],
      });
    });

    it('should give what the schema gives: a transforming schema changes the value', () => {
      const cents: StandardSchemaV1<number> = {
        '~standard': {
          version: 1,
          vendor: 'hand-written',
          validate: (value) =>
            typeof value === 'number' ? { value: Math.round(value * 100) } : { issues: [] },
        },
      };

      expect(json({ validate: cents }).deserialize('prices', Buffer.from('9.5'))).toBe(950);
    });

    it('should throw a SerdeError naming the topic, the direction and every issue with its path', () => {
      const error = captureError(() =>
        json({ validate: orderSchema }).deserialize(
          'orders',
          Buffer.from('{"lines":[{"qty":1},{"qty":"two"}]}'),
        ),
      );

      expect(error.message).toBe(
        'json serde cannot deserialize a payload of topic orders: the payload does not match ' +
          'the hand-written schema: id: Required; lines[1].qty: Expected number',
      );
      expect(error).toMatchObject({ topic: 'orders', phase: 'serde' });
      expect((error.cause as { issues: StandardSchemaIssue[] }).issues).toHaveLength(2);
    });

    it('should name an issue of the payload itself without a path', () => {
      const error = captureError(() =>
        json({ validate: orderSchema }).deserialize('orders', Buffer.from('[1]')),
      );

      expect(error.message).toMatch(/hand-written schema: Expected an object$/);
    });

    it('should keep the partition and offset the topology adds with at()', () => {
      const error = captureError(() =>
        json({ validate: orderSchema }).deserialize('orders', Buffer.from('{}')),
      );

      const located = error.at({ partition: 2, offset: '7', nodeName: 'SOURCE-0000000001' });

      expect(located.message).toMatch(
        /lines: Expected an array \(topic orders, partition 2, offset 7, node SOURCE-0000000001\)$/,
      );
      expect(located.cause).toBe(error.cause);
    });

    it('should refuse an async validator with a SerdeError that says so', async () => {
      let validated = 0;
      const remote: StandardSchemaV1<Order> = {
        '~standard': {
          version: 1,
          vendor: 'remote',
          validate: () => {
            validated += 1;
            return Promise.reject(new Error('registry unreachable'));
          },
        },
      };

      const error = captureError(() =>
        json({ validate: remote }).deserialize('orders', Buffer.from(ORDER)),
      );
      // Its rejection is not left unhandled: jest would fail the test if it were.
      await new Promise((resolve) => setImmediate(resolve));

      expect(validated).toBe(1);
      expect(error.message).toBe(
        'json serde cannot deserialize a payload of topic orders: the remote schema validates ' +
          'asynchronously, and async validators are not supported in a serde (serialization is ' +
          'synchronous); validate in an async mapValues instead',
      );
    });

    it('should turn a schema that throws into a SerdeError with the thrown error as cause', () => {
      const thrown = new Error('schema bug');
      const throwing: StandardSchemaV1<Order> = {
        '~standard': {
          version: 1,
          vendor: 'buggy',
          validate: () => {
            throw thrown;
          },
        },
      };

      const error = captureError(() =>
        json({ validate: throwing }).deserialize('orders', Buffer.from(ORDER)),
      );

      expect(error.message).toMatch(/: the buggy schema threw: schema bug$/);
      expect(error.cause).toBe(thrown);
    });

    it('should accept a callable schema that carries ~standard, as arktype makes them', () => {
      const callable = Object.assign((u: unknown) => u, orderSchema);

      expect(json({ validate: callable }).deserialize('orders', Buffer.from(ORDER))).toMatchObject({
        id: 'o-1',
      });
      expect(() => json({ validate: callable }).deserialize('orders', Buffer.from('{}'))).toThrow(
        /hand-written schema/,
      );
    });
  });

  describe('with an fp-ts decoder', () => {
    it('should give the Right of the decoder, and infer T from it', () => {
      const orders = json({ validate: decodeOrder });

      assertType<Equal<typeof orders, Serde<Order | null>>>();
      expect(orders.deserialize('orders', Buffer.from(ORDER))).toMatchObject({ id: 'o-1' });
    });

    it('should throw a SerdeError with the Left as reason and cause, a string or an Error', () => {
      const string = captureError(() =>
        json({ validate: decodeOrder }).deserialize('orders', Buffer.from('{}')),
      );
      const invalid = new TypeError('expected a total');
      const error = captureError(() =>
        json<number>({ validate: () => E.left(invalid) }).deserialize('totals', Buffer.from('1')),
      );

      expect(string.message).toBe(
        'json serde cannot deserialize a payload of topic orders: the payload does not decode: not an Order',
      );
      expect(string.cause).toBe('not an Order');
      expect(error.message).toMatch(/topic totals: the payload does not decode: expected a total$/);
      expect(error.cause).toBe(invalid);
    });

    it('should turn a decoder that throws into a SerdeError', () => {
      const error = captureError(() =>
        json({
          validate: (): E.Either<string, number> => {
            throw new Error('decoder bug');
          },
        }).deserialize('t', Buffer.from('1')),
      );

      expect(error.message).toMatch(/: the decoder threw: decoder bug$/);
    });
  });

  it('should still report malformed JSON before validating', () => {
    const validate = jest.fn(decodeOrder);

    const error = captureError(() => json({ validate }).deserialize('orders', Buffer.from('{')));

    expect(error.cause).toBeInstanceOf(SyntaxError);
    expect(validate).not.toHaveBeenCalled();
  });

  it('should neither validate a tombstone nor a value written', () => {
    const validate = jest.fn(decodeOrder);
    const orders = json({ validate });

    expect(orders.deserialize('orders', null)).toBeNull();
    expect(orders.serialize('orders', { id: 'o-1', lines: [] })?.toString()).toBe(
      '{"id":"o-1","lines":[]}',
    );
    expect(validate).not.toHaveBeenCalled();
  });

  it('should refuse at once a validate that is neither kind', () => {
    expect(() => json({ validate: 'order' as unknown as Decoder<Order> })).toThrow(
      'json serde: validate expects a Standard Schema (with ~standard) or a decoder function, got a string',
    );
  });
});
