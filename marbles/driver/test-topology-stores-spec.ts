import { Serdes } from '../../lib/serde/serdes';
import { countTopology } from '../../spec/state/support/count-topology';
import { testTopology } from './test-topology';

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
});
