import { string } from '../../lib/serde/string';
import { SerdeError } from '../../lib/errors/serde-error';
import type { Serde } from '../../lib/serde/serde';
import { assertType, type Equal } from './fixtures/type-equality';

describe('string', () => {
  it('should round-trip a string through UTF-8 bytes', () => {
    const serde = string();

    const data = serde.serialize('greetings', 'hello');

    expect(data).toEqual(Buffer.from('hello'));
    expect(serde.deserialize('greetings', data)).toBe('hello');
  });

  it.each([
    ['accents', 'héllo wörld'],
    ['CJK', '你好，世界'],
    ['emoji (astral plane)', '🚀 launch 👩‍💻'],
    ['combining marks', 'e\u0301'],
    ['right-to-left text', 'مرحبا'],
  ])('should round-trip unicode: %s', (_name, text) => {
    const serde = string();

    const data = serde.serialize('greetings', text);

    expect(data).toEqual(Buffer.from(text, 'utf8'));
    expect(serde.deserialize('greetings', data)).toBe(text);
  });

  it('should encode as UTF-8, not UTF-16 or latin1', () => {
    expect(string().serialize('greetings', 'é')).toEqual(Buffer.from([0xc3, 0xa9]));
  });

  it('should map a tombstone (null) to null both ways', () => {
    const serde = string();

    expect(serde.serialize('greetings', null)).toBeNull();
    expect(serde.deserialize('greetings', null)).toBeNull();
  });

  it('should keep the empty string distinct from null', () => {
    const serde = string();

    expect(serde.serialize('greetings', '')).toEqual(Buffer.alloc(0));
    expect(serde.deserialize('greetings', Buffer.alloc(0))).toBe('');
  });

  it('should decode invalid UTF-8 to the replacement character, as Kafka does', () => {
    expect(string().deserialize('greetings', Buffer.from([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });

  it('should throw a SerdeError naming the topic when serializing something that is not a string', () => {
    const serde = string() as Serde<unknown>;

    const attempt = (): unknown => serde.serialize('greetings', 42);

    expect(attempt).toThrow(SerdeError);
    expect(attempt).toThrow(
      'string serde cannot serialize a value for topic greetings: expected a string or null, got a number',
    );
  });

  it('should type the serde as Serde<string | null>', () => {
    const serde = string();

    assertType<Equal<typeof serde, Serde<string | null>>>();
    // @ts-expect-error a number is not a string
    expect(() => serde.serialize('greetings', 1)).toThrow(SerdeError);
  });
});
