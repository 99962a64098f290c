/**
 * A passing and a deliberately failing marble test of one topology, run by vitest-spec.ts
 * under Vitest with and without globals (not by Jest: its files end in -spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { mapValues, Serdes, StreamsBuilder, to, type Topology } from 'rx-kstreams';
import { testTopology } from 'rx-kstreams/marbles';

/** words → upper-cased words, keeping the key. */
const upperCase = (): Topology => {
  const builder = new StreamsBuilder();
  builder.stream('words', { key: Serdes.string(), value: Serdes.string() }).pipe(
    mapValues((word: string | null) => (word ?? '').toUpperCase()),
    to('upper', { key: Serdes.string(), value: Serdes.string() }),
  );
  return builder.build();
};

describe('upperCase', () => {
  it('should upper-case each word', () => {
    testTopology(upperCase(), ({ input, expectOutput }) => {
      input('words', '-a-b|', { a: { key: 'k1', value: 'hi' }, b: { key: 'k2', value: 'yo' } });
      expectOutput('upper', '-x-y|', {
        x: { key: expect.any(String), value: 'HI' },
        y: { key: 'k2', value: 'YO' },
      });
    });
  });

  it('should fail: the second word is expected wrong', () => {
    testTopology(upperCase(), ({ input, expectOutput }) => {
      input('words', '-a-b|', { a: { key: 'k1', value: 'hi' }, b: { key: 'k2', value: 'yo' } });
      expectOutput('upper', '-x-y|', {
        x: { key: expect.any(String), value: 'HI' },
        y: { key: 'k2', value: 'NO' },
      });
    });
  });
});
