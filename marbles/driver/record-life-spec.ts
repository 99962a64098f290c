import { Action } from '../../lib/errorhandler/action';
import { withDLQ } from '../../lib/errorhandler/with-dlq';
import { ProductionError } from '../../lib/errors/production-error';
import { mapValues } from '../../lib/kstream/operators/map-values';
import { to } from '../../lib/kstream/operators/to';
import { StreamsBuilder } from '../../lib/kstream/streams-builder';
import { Serdes } from '../../lib/serde/serdes';
import { testTopology } from './test-topology';

/** words → UPPER (node SINK-0000000003 writes topic `upper`); `!` in a value throws. */
const shout = () => {
  const builder = new StreamsBuilder();
  builder.stream('words', { value: Serdes.string() }).pipe(
    mapValues((word: string | null) => {
      if (word?.includes('!') === true) throw new Error(`no shouting: ${word}`);
      return (word ?? '').toUpperCase();
    }),
    to('upper', { value: Serdes.string() }),
  );
  return builder.build();
};

describe('the marble driver runs the runners’ record life', () => {
  describe('in the production phase', () => {
    it('should send a refused output again when the production handler retries, in virtual time', () => {
      const handled: string[] = [];
      testTopology(
        shout(),
        ({ input, expectOutput, refuseSends }) => {
          refuseSends('upper', 3);
          input('words', '-a-b|', { a: { value: 'hi' }, b: { value: 'yo' } });
          // Sends are refused at 1 (a), 3 (b) and 11 (a again): b is written at 13, a at 21.
          // The outputs end once every record is done.
          expectOutput('upper', '- 12ms y 7ms (x|)', {
            x: { key: null, value: 'HI' },
            y: { key: null, value: 'YO' },
          });
        },
        {
          productionErrorHandler: (ec) => {
            handled.push(`${ec.phase}:${ec.nodeName ?? '?'}:${ec.attempt}`);
            return Action.retry(10);
          },
        },
      );
      expect(handled).toEqual([
        'production:SINK-0000000003:1',
        'production:SINK-0000000003:1',
        'production:SINK-0000000003:2',
      ]);
    });

    it('should end every output with the ProductionError naming topic and sink when the handler fails', () => {
      const { committedOffsets } = testTopology(shout(), ({ input, expectOutput, refuseSends }) => {
        input('words', 'ab-|', { a: { value: 'hi' }, b: { value: 'yo' } });
        refuseSends('upper', 1);
        expectOutput(
          'upper',
          '#',
          {},
          {
            error: new ProductionError({
              topic: 'upper',
              nodeName: 'SINK-0000000003',
              cause: new Error('the test refused this send to upper'),
            }),
          },
        );
      });
      expect(committedOffsets).toEqual({});
    });

    it('should dead-letter the input of a refused output when the handler says so', () => {
      testTopology(
        shout(),
        ({ input, expectOutput, refuseSends }) => {
          refuseSends('upper', 1);
          input('words', '-a-b|', { a: { value: 'hi' }, b: { value: 'yo' } });
          expectOutput('upper', '---y|', { y: { key: null, value: 'YO' } });
          expectOutput('words.dlq', '-d--|', { d: { key: null, value: 'hi' } });
        },
        { productionErrorHandler: withDLQ('words.dlq') },
      );
    });
  });

  describe('offsets', () => {
    it('should return what a runner would commit: done, skipped and dead-lettered records count', () => {
      const { committedOffsets } = testTopology(
        shout(),
        ({ input }) => {
          input('words', 'abc|', { a: { value: 'x' }, b: { value: 'boom!' }, c: { value: 'y' } });
          input('words', 'a|', { a: { value: 'z', partition: 2 } });
        },
        { processingErrorHandler: () => Action.continue() },
      );
      expect(committedOffsets).toEqual({ words: { 0: '3', 2: '1' } });
    });

    it('should hold a partition back at a record that failed for good', () => {
      const { committedOffsets } = testTopology(shout(), ({ input, expectOutput }) => {
        input('words', 'ab-c|', { a: { value: 'x' }, b: { value: 'boom!' }, c: { value: 'y' } });
        expectOutput('upper', 'x#', { x: { key: null, value: 'X' } }, { error: expect.anything() });
      });
      expect(committedOffsets).toEqual({ words: { 0: '1' } });
    });
  });
});
