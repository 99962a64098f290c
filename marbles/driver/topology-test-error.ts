/**
 * A topology test was set up wrongly: an input to a topic the topology does not read, a
 * marble without a value, a record still in process when virtual time ran out. The
 * message names the problem.
 *
 * @example
 * expect(() => testTopology(topology, ({ input }) => input('typo', '-a|', values))).toThrow(TopologyTestError);
 */
export class TopologyTestError extends Error {
  override readonly name = 'TopologyTestError';
}
