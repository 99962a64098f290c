import { readFileSync } from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

describe('docs/serialization.md', () => {
  it('should quote only code that the build type-checks', () => {
    const sources = [read('examples/serialization.ts'), read('lib/serde/serde.ts')];
    const blocks = [...read('docs/serialization.md').matchAll(/```ts\n([\s\S]*?)```/g)].map(
      (m) => m[1]!,
    );

    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const block of blocks) {
      expect(sources.some((source) => source.includes(block))).toBe(true);
    }
  });

  it('should print what its comments say when the example runs', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await import('../../examples/serialization');

      expect(log.mock.calls).toEqual([
        ['customer-7'],
        [{ id: 'o-1', total: 9.5 }],
        [null],
        [
          'json serde cannot deserialize a payload of topic orders: the payload does not decode: expected { id: string, total: number }',
        ],
        [expect.objectContaining({ id: 'o-2', total: 12 })],
        [
          'orders',
          'json serde cannot deserialize a payload of topic orders: Unexpected end of JSON input',
        ],
        ['payload of topic orders is not an Order'],
      ]);
    } finally {
      log.mockRestore();
    }
  });
});
