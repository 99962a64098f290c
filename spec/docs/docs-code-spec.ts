import { readFileSync } from 'fs';
import * as path from 'path';
import { InMemoryKafka, type RawRecord, Serdes } from 'rx-kstreams';
import { runWatched } from '../../examples/reliability';
import { runPartitioned } from '../../examples/runners';
import {
  cheapPrices,
  countOf,
  orderTotals,
  restoring,
  runWordCount,
  testWordCount,
  testFromState,
  wordCountDsl,
  sentenceWordCount,
  pricedOrders,
  popularWords,
} from '../../examples/state';
import { testTopology } from 'rx-kstreams/marbles';
import {
  QUICK_START_OUTPUT,
  QUICK_START_READY,
  readmeQuickStart,
} from '../package/support/readme-quick-start';
import { runUntilReady } from '../package/support/run-until-ready';
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
    ['docs/observability.md', 'examples/observability.ts'],
    ['docs/kafka.md', 'examples/kafka-clients.ts'],
    ['docs/state.md', 'examples/state.ts'],
  ])('should quote in %s only code of %s, which the build type-checks', (doc, example) => {
    const blocks = tsBlocks(read(doc));
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(quotes(read(example), block)).toBe(true);
  });

  it('should notice a quote that is not in the example', () => {
    expect(quotes('a\nb\nc', 'a\nc')).toBe(true);
    expect(quotes('a\nb\nc', 'c\na')).toBe(false);
  });

  it('should run the quick start as a program: the taxed order printed, a clean stop on Ctrl-C', async () => {
    const run = await runUntilReady(['--import', 'tsx', 'examples/quick-start.ts'], {
      cwd: root,
      ready: QUICK_START_READY,
    });
    expect(run).toEqual({ code: 0, signal: null, stdout: QUICK_START_OUTPUT, stderr: '' });
  }, 40_000);

  it('should show in README.md the quick start whole, as examples/quick-start.ts holds it', () => {
    const example = read('examples/quick-start.ts').replace(/^(\/\/.*\n)+/, '');
    expect(readmeQuickStart()).toBe(example);
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

  it('should run the state example: counts kept, restored on restart, and queried', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('words', { partitions: 2 });
    kafka.produce(
      'words',
      ['fig', 'kiwi', 'fig'].map((w) => ({ key: w, value: w })),
    );
    const first = new AbortController();
    const one = runWordCount(kafka.client({ groupId: 'word-count' }), first.signal);
    await eventually(() => kafka.records('word-counts').length === 3);
    expect(countOf(one.app, 'fig')).toBe(2);
    expect(restoring(one.app)).toBe(0);
    first.abort();
    await one.done;
    expect(kafka.records('word-count-counts-changelog')).toHaveLength(3);

    kafka.produce('words', [{ key: 'fig', value: 'fig' }]);
    const second = new AbortController();
    const two = runWordCount(kafka.client({ groupId: 'word-count' }), second.signal);
    await eventually(() => kafka.records('word-counts').length === 4);
    expect(countOf(two.app, 'fig')).toBe(3);
    second.abort();
    await two.done;
  });

  it('should tell of a word as its count passes 100, once', async () => {
    const kafka = new InMemoryKafka();
    kafka.createTopic('words', { partitions: 2 });
    kafka.produce(
      'words',
      Array.from({ length: 230 }, (_, i) => (i % 2 === 0 ? 'fig' : 'kiwi')).map((w) => ({
        key: w,
        value: w,
      })),
    );
    const controller = new AbortController();
    const { app, done } = runWordCount(kafka.client({ groupId: 'word-count' }), controller.signal);
    const popular: string[] = [];
    const subscription = popularWords(app).subscribe((word) => popular.push(word));
    await eventually(() => kafka.records('word-counts').length === 230);
    controller.abort();
    await done;
    subscription.unsubscribe();
    expect(popular.sort()).toEqual(['fig', 'kiwi']);
  });

  it('should run the marble test of the state example', () => {
    expect(() => testWordCount()).not.toThrow();
    expect(() => testFromState()).not.toThrow();
  });

  it('should run the DSL examples of docs/state.md as they say', () => {
    const counts = { key: Serdes.string(), value: Serdes.json<unknown>() };
    testTopology(wordCountDsl(), ({ input, expectOutput }) => {
      input('words', '-a-b|', { a: { key: 'fig', value: 'fig' }, b: { key: 'fig', value: 'fig' } });
      expectOutput(
        'word-counts',
        '-x-y|',
        { x: { key: 'fig', value: 1 }, y: { key: 'fig', value: 2 } },
        counts,
      );
    });
    testTopology(orderTotals(), ({ input, expectOutput }) => {
      input('order-amounts', '-a-b|', {
        a: { key: 'ann', value: '30' },
        b: { key: 'ann', value: '12' },
      });
      expectOutput(
        'customer-totals',
        '-x-y|',
        { x: { key: 'ann', value: 30 }, y: { key: 'ann', value: 42 } },
        counts,
      );
      expectOutput(
        'customer-summaries',
        '-x-y|',
        {
          x: { key: 'ann', value: { orders: 1, biggest: 30 } },
          y: { key: 'ann', value: { orders: 2, biggest: 30 } },
        },
        counts,
      );
    });
    testTopology(sentenceWordCount(), ({ input, expectOutput }) => {
      input('sentences', '-a-b---|', {
        a: { key: 's1', value: 'fig' },
        b: { key: 's2', value: 'fig yew' },
      });
      expectOutput(
        'sentence-word-counts',
        '-x-(yz)|',
        { x: { key: 'fig', value: 1 }, y: { key: 'fig', value: 2 }, z: { key: 'yew', value: 1 } },
        counts,
      );
    });
    testTopology(pricedOrders(), ({ input, expectOutput }) => {
      input('prices', '-a|', { a: { key: 'pen', value: '2' } });
      input('orders', '--x-y|', { x: { key: 'pen', value: '5' }, y: { key: 'ink', value: '1' } });
      expectOutput(
        'order-costs',
        '--x--|',
        { x: { key: 'pen', value: { item: 'pen', cost: 10 } } },
        counts,
      );
      expectOutput('order-checks', '--x-y|', {
        x: { key: 'pen', value: 'priced' },
        y: { key: 'ink', value: 'unpriced: 1' },
      });
    });
    testTopology(cheapPrices(), ({ input, expectOutput }) => {
      input('prices', '-a-b|', { a: { key: 'pen', value: '2.5' }, b: { key: 'pen', value: '12' } });
      expectOutput('cheap-prices', '-x-y|', {
        x: { key: 'pen', value: '2.50 EUR' },
        y: { key: 'pen', value: null },
      });
    });
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
