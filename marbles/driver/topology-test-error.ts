/**
 * A topology test was set up wrongly, or cannot mean anything: an input to a topic the
 * topology does not read, a marble without a value, an expected output on a topic the
 * topology does not write, a record still in process when virtual time ran out (a callback
 * returned a Promise). The message names the problem and the way out; the last two are
 * thrown once virtual time has run out, before any diagram is compared.
 *
 * @example
 * expect(() => testTopology(topology, ({ input }) => input('typo', '-a|', values))).toThrow(TopologyTestError);
 */
export class TopologyTestError extends Error {
  override readonly name = 'TopologyTestError';
}
