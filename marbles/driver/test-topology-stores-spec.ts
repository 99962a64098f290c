import { Serdes } from '../../lib/serde/serdes';
import { Action } from '../../lib/errorhandler/action';
import { countTopology } from '../../spec/state/support/count-topology';
import { testTopology } from './test-topology';
import { sentenceWordCount as wordsByWord } from '../../examples/state';
import { TopologyTestError } from './topology-test-error';

describe('testTopology with state stores', () => {
  it('should keep each task’s store across its records and show its writes on the changelog', () => {
    testTopology(
      countTopology(),
      ({ input, expectOutput }) => {
        input(
          'words',
          '-a-b-c-|',
          {
            a: { key: 'fig', value: 'fig' },
            b: { key: 'kiwi', value: 'kiwi' },
            c: { key: 'fig', value: 'fig' },
          },
          { key: Serdes.string(), value: Serdes.string() },
        );
        const counts = {
          x: { key: 'fig', value: 1 },
          y: { key: 'kiwi', value: 1 },
          z: { key: 'fig', value: 2 },
        };
        const serdes = { key: Serdes.string(), value: Serdes.json<number>() };
        expectOutput('counted', '-x-y-z-|', counts, serdes);
        expectOutput('wc-counts-changelog', '-x-y-z-|', counts, serdes);
      },
      { applicationId: 'wc' },
    );
  });

  it('should name the changelogs after the test application by default', () => {
    testTopology(countTopology(), ({ input, expectOutput }) => {
      input('words', '-a|', { a: { key: 'fig', value: 'fig' } });
      expectOutput('test-counts-changelog', '-x|', { x: { key: 'fig', value: '1' } });
    });
  });

  it('should read a repartition topic back in the frame it is written, by the task of the key', () => {
    const partitions = new Map<string, Set<number>>();
    testTopology(
      wordsByWord(),
      ({ input, expectOutput, output }) => {
        input('sentences', '-a----b-----|', {
          a: { key: 's1', value: 'fig yew', partition: 0 },
          b: { key: 's2', value: 'yew fig fig', partition: 1 },
        });
        const serdes = { key: Serdes.string(), value: Serdes.json<number>() };
        expectOutput(
          'sentence-word-counts',
          '-(xy)-(zuv)-|',
          {
            x: { key: 'fig', value: 1 },
            y: { key: 'yew', value: 1 },
            z: { key: 'yew', value: 2 },
            u: { key: 'fig', value: 2 },
            v: { key: 'fig', value: 3 },
          },
          serdes,
        );
        output('test-word-counts-repartition').subscribe((r) => {
          const seen = partitions.get(r.key ?? '') ?? new Set<number>();
          partitions.set(r.key ?? '', seen.add(r.partition ?? -1));
        });
      },
      { repartitionPartitions: 4 },
    );
    // 'fig' and 'yew' came in on both input partitions; each went to one repartition partition.
    expect([...partitions.keys()].sort()).toEqual(['fig', 'yew']);
    for (const seen of partitions.values()) expect(seen.size).toBe(1);
  });

  it('should read back only what a repartition topic was written, not a refused send', () => {
    testTopology(
      wordsByWord(),
      ({ input, expectOutput, refuseSends }) => {
        refuseSends('test-word-counts-repartition', 1);
        input('sentences', '-a|', { a: { key: 's1', value: 'fig yew' } });
        // fig's send was refused and skipped: only yew reaches the count.
        expectOutput(
          'sentence-word-counts',
          '-y|',
          { y: { key: 'yew', value: 1 } },
          { key: Serdes.string(), value: Serdes.json<number>() },
        );
      },
      { productionErrorHandler: () => Action.continue() },
    );
  });

  it('should refuse an input to a repartition topic', () => {
    expect(() =>
      testTopology(wordsByWord(), ({ input }) => {
        input('test-word-counts-repartition', '-a|', { a: { key: 'fig', value: 'fig' } });
      }),
    ).toThrow(TopologyTestError);
  });

  it('should start each task from what its changelog partition holds (restored)', () => {
    const serdes = { key: Serdes.string(), value: Serdes.json<number>() };
    testTopology(
      countTopology(),
      ({ input, expectOutput }) => {
        input(
          'words',
          '-a-b-c|',
          {
            a: { key: 'fig', value: 'fig', partition: 0 },
            b: { key: 'fig', value: 'fig', partition: 1 },
            c: { key: 'kiwi', value: 'kiwi', partition: 0 },
          },
          { key: Serdes.string(), value: Serdes.string() },
        );
        // Partition 0 had fig at 41; partition 1 had fig at 6; nobody had kiwi.
        const counts = {
          x: { key: 'fig', value: 42 },
          y: { key: 'fig', value: 7 },
          z: { key: 'kiwi', value: 1 },
        };
        expectOutput('counted', '-x-y-z|', counts, serdes);
        expectOutput('test-counts-changelog', '-x-y-z|', counts, serdes);
      },
      {
        restored: {
          counts: [
            { key: 'fig', value: 41 },
            { key: 'fig', value: 6, partition: 1 },
          ],
        },
      },
    );
  });

  it('should refuse restored entries for a store the topology does not have', () => {
    expect(() =>
      testTopology(countTopology(), () => undefined, {
        restored: { totals: [{ key: 'fig', value: 1 }] },
      }),
    ).toThrow(/restored: the topology has no state store named "totals" \(its stores: counts\)/);
  });
});
