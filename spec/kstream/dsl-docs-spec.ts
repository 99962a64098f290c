import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { bigOrders, ordersTopology, runRecord, sampleOrder } from '../../examples/dsl';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const doc = read('docs/dsl.md');
const blocks = (lang: string): string[] =>
  [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);

const topicsWritten = async (region: string): Promise<string[]> => {
  const records = await runRecord(
    ordersTopology(() => undefined),
    sampleOrder(region),
  );
  return records.map((r) => r.topic);
};

describe('docs/dsl.md', () => {
  it('should quote only code that the build type-checks', () => {
    const marbleSpecs = readdirSync(path.join(root, 'marbles/operators'))
      .filter((file) => file.endsWith('-spec.ts'))
      .map((file) => read(`marbles/operators/${file}`));
    const typeSpecs = ['spec/types/to-serdes-types.ts', 'spec/types/branch-types.ts'].map(read);
    const sources = [read('examples/dsl.ts'), ...marbleSpecs, ...typeSpecs];
    const quoted = blocks('ts');

    expect(quoted.length).toBeGreaterThanOrEqual(6);
    for (const block of quoted) {
      expect(sources.some((source) => source.includes(block))).toBe(true);
    }
  });

  it('should show what describe() and toMermaid() print', () => {
    expect(blocks('text')).toEqual([bigOrders().describe()]);
    expect(blocks('mermaid')).toEqual([bigOrders().toMermaid()]);
  });

  it('should behave as the example says: fan-out, per-customer count, routing by region', async () => {
    const audit: string[] = [];
    const records = await runRecord(
      ordersTopology((line) => audit.push(line)),
      sampleOrder('us'),
    );

    expect(records.map((r) => [r.topic, String(r.key), String(r.value)])).toEqual([
      ['line-amounts', 'c-1', '1'],
      ['line-amounts', 'c-1', '2'],
      ['order-counts', 'c-1', '1'],
      ['orders-us', 'c-1', expect.stringContaining('"id":"o-1"')],
    ]);
    expect(audit).toEqual(['us order of c-1']);
  });

  it('should send an order of another region to the default branch', async () => {
    const audit: string[] = [];
    const records = await runRecord(
      ordersTopology((line) => audit.push(line)),
      sampleOrder('apac'),
    );

    expect(records.map((r) => r.topic)).toEqual(['line-amounts', 'line-amounts', 'order-counts']);
    expect(audit).toEqual(['no route for o-1 of c-1']);
    expect(await topicsWritten('eu')).toEqual([
      'line-amounts',
      'line-amounts',
      'order-counts',
      'orders-eu',
    ]);
  });
});
