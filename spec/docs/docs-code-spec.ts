import { readFileSync } from 'fs';
import * as path from 'path';
import { InMemoryKafka, type RawRecord } from 'rx-kstreams';
import { quickStart } from '../../examples/quick-start';
import { runWatched } from '../../examples/reliability';
import { runPartitioned } from '../../examples/runners';
import { eventually, forwardTo, scriptedTopology } from '../runner/support/scripted-topology';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');

/** The ```ts blocks of a markdown file. */
const tsBlocks = (doc: string): string[] =>
  [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** True when every non-blank line of `block` appears in `source`, in order (indentation aside). */
const quotes = (source: string, block: string): boolean => {
  const lines = source.split('\n').map((l) => l.trim());
  let at = 0;
  for (const wanted of block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')) {
    while (at < lines.length && lines[at] !== wanted) at += 1;
    if (at === lines.length) return false;
    at += 1;
  }
  return true;
};

describe('code in README.md and docs/', () => {
  it.each([
    ['README.md', 'examples/quick-start.ts'],
    ['docs/runners.md', 'examples/runners.ts'],
    ['docs/reliability.md', 'examples/reliability.ts'],
    ['docs/coming-from-go-streams.md', 'spec/errorhandler/handlers-spec.ts'],
  ])('should quote in %s only code of %s, which the build type-checks', (doc, example) => {
    const blocks = tsBlocks(read(doc));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(quotes(read(example), block)).toBe(true);
  });

  it('should notice a quote that is not in the example', () => {
    expect(quotes('a\nb\nc', 'a\nc')).toBe(true);
    expect(quotes('a\nb\nc', 'c\na')).toBe(false);
  });

  it('should run the quick start: taxed orders out, cancelled ones dropped', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('orders', [
      { key: 'c-1', value: JSON.stringify({ id: 'o-1', amount: 10, status: 'new' }) },
      { key: 'c-2', value: JSON.stringify({ id: 'o-2', amount: 20, status: 'cancelled' }) },
    ]);
    const controller = new AbortController();
    const running = quickStart(kafka, controller.signal);
    await eventually(() => kafka.records('orders.taxed').length === 1);
    controller.abort();
    await running;
    const [taxed] = kafka.records('orders.taxed');
    expect(JSON.parse(taxed!.value!.toString())).toEqual({
      id: 'o-1',
      amount: 10,
      status: 'new',
      amountWithTax: 12,
    });
  });

  it('should run the runners example', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', [{ value: 'x' }]);
    const controller = new AbortController();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const running = runPartitioned(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      controller.signal,
    );
    await eventually(() => kafka.records('out').length === 1);
    controller.abort();
    await running;
    log.mockRestore();
    expect(kafka.records('out').map((r: RawRecord) => r.value?.toString())).toEqual(['x']);
  });

  it('should run the reliability example and exit 0 after a graceful stop', async () => {
    const kafka = new InMemoryKafka();
    kafka.produce('in', [{ value: 'y' }]);
    const controller = new AbortController();
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const running = runWatched(
      kafka.client({ groupId: 'g' }),
      scriptedTopology(['in'], forwardTo('out')),
      controller.signal,
    );
    await eventually(() => kafka.records('out').length === 1);
    controller.abort();
    expect(await running).toBe(0);
    log.mockRestore();
  });
});
