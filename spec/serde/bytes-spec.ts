import { bytes } from '../../lib/serde/bytes';
import { SerdeError } from '../../lib/errors/serde-error';
import type { Serde } from '../../lib/serde/serde';
import { assertType, type Equal } from './fixtures/type-equality';

describe('bytes', () => {
  it('should pass a Buffer through unchanged both ways', () => {
    const serde = bytes();
    const payload = Buffer.from([0, 1, 2, 255]);

    expect(serde.serialize('raw', payload)).toBe(payload);
    expect(serde.deserialize('raw', payload)).toBe(payload);
  });

  it('should map a tombstone (null) to null both ways', () => {
    const serde = bytes();

    expect(serde.serialize('raw', null)).toBeNull();
    expect(serde.deserialize('raw', null)).toBeNull();
  });

  it('should keep an empty Buffer distinct from null', () => {
    const serde = bytes();

    expect(serde.serialize('raw', Buffer.alloc(0))).toEqual(Buffer.alloc(0));
  });

  it('should throw a SerdeError naming the topic when serializing something that is not a Buffer', () => {
    const serde = bytes() as Serde<unknown>;

    const attempt = (): unknown => serde.serialize('raw', 'text');

    expect(attempt).toThrow(SerdeError);
    expect(attempt).toThrow(
      'bytes serde cannot serialize a value for topic raw: expected a Buffer or null, got a string',
    );
  });

  it('should type the serde as Serde<Buffer | null>', () => {
    const serde = bytes();

    assertType<Equal<typeof serde, Serde<Buffer | null>>>();
    // @ts-expect-error a string is not bytes
    expect(() => serde.serialize('raw', 'text')).toThrow(SerdeError);
  });
});
