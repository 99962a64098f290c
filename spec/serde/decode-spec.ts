import { isLeft, isRight, type Either } from 'fp-ts/lib/Either.js';
import { SerdeError } from '../../lib/errors/serde-error';
import { decode } from '../../lib/serde/decode';
import { json } from '../../lib/serde/json';
import type { Serde } from '../../lib/serde/serde';
import { assertType, type Equal } from './fixtures/type-equality';

describe('decode', () => {
  it('should give the deserialized value as a Right', () => {
    const result = decode(json<{ id: number }>(), 'orders', Buffer.from('{"id":1}'));

    assertType<Equal<typeof result, Either<SerdeError, { id: number } | null>>>();
    expect(result).toEqual({ _tag: 'Right', right: { id: 1 } });
  });

  it('should give a tombstone as a Right null', () => {
    expect(decode(json(), 'orders', null)).toEqual({ _tag: 'Right', right: null });
  });

  it("should give a serde's SerdeError as the Left, unchanged", () => {
    const result = decode(json(), 'orders', Buffer.from('{'));

    expect(isLeft(result)).toBe(true);
    if (isRight(result)) return;
    expect(result.left).toBeInstanceOf(SerdeError);
    expect(result.left.message).toMatch(/^json serde cannot deserialize a payload of topic orders/);
  });

  it("should wrap a custom serde's other error in a SerdeError naming the topic", () => {
    const broken = new RangeError('unknown version byte 7');
    const custom: Serde<string> = {
      serialize: () => null,
      deserialize: () => {
        throw broken;
      },
    };

    const result = decode(custom, 'events', Buffer.from([7]));

    expect(result).toEqual({ _tag: 'Left', left: expect.any(SerdeError) });
    if (isRight(result)) return;
    expect(result.left.message).toBe(
      'cannot deserialize a payload of topic events: unknown version byte 7',
    );
    expect(result.left).toMatchObject({ topic: 'events', cause: broken, phase: 'serde' });
  });
});
