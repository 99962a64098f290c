import type { RunHelpers } from 'rxjs/testing';
import { TestScheduler } from 'rxjs/testing';
import { assertDeepEqual } from './assert-deep-equal';
import type { TestedTopology } from './tested-topology';
import { type TopologyDriver, topologyDriver } from './topology-driver';
import type { TopologyDriverOptions } from './topology-driver-options';

/** What a {@link testTopology} body gets: the driver's methods and RxJS's run helpers. */
export type TopologyTestKit = RunHelpers &
  Pick<TopologyDriver, 'input' | 'output' | 'expectOutput' | 'refuseSends'>;

/**
 * What a {@link testTopology} run leaves: the offsets a runner would have committed once
 * virtual time ran out.
 *
 * @example
 * const { committedOffsets } = testTopology(topology, body);
 * expect(committedOffsets).toEqual({ orders: { 0: '3' } });
 */
export interface TopologyTestResult {
  readonly committedOffsets: Record<string, Record<number, string>>;
}

/**
 * {@link TopologyDriverOptions} plus how frames are compared.
 *
 * @example
 * import { expect as chaiExpect } from 'chai';
 * testTopology(topology, body, {
 *   errorHandler: logAndContinue(logger),
 *   assertDeepEqual: (actual, expected) => chaiExpect(actual).to.deep.equal(expected),
 * });
 */
export interface TestTopologyOptions extends TopologyDriverOptions {
  /**
   * Compares actual and expected frames, throwing when they differ. Default
   * {@link assertDeepEqual}: Jest's or Vitest's `expect(...).toEqual` (found with or without
   * Vitest's `globals`), else node's strict deep equality with a frame-by-frame diff.
   */
  readonly assertDeepEqual?: ((actual: unknown, expected: unknown) => void) | undefined;
}

/**
 * Runs `topology` on marble diagrams in virtual time: `body` declares the input topics'
 * diagrams and the expected output topics' diagrams, then the test runs and compares them.
 * One task per input (topic, partition), as a runner makes, running the runners' own record
 * life: serde, processing and production phases, the error handlers (delays in virtual
 * time), and the offsets a runner would commit (returned). Records of a partition in order.
 * Callbacks must be synchronous or delay with RxJS schedulers (virtual time cannot wait for a
 * Promise): a record still in process when virtual time runs out is a TopologyTestError
 * naming it and the nodes that may have returned the Promise, thrown before any diagram is
 * compared. So is an expected output on a topic the topology does not write.
 *
 * @example
 * const builder = new StreamsBuilder();
 * builder.stream('orders', { key: Serdes.string(), value: Serdes.json<Order>() }).pipe(
 *   filter((_key, order) => order !== null && order.total > 100),
 *   mapValues((order) => order?.id ?? 0),
 *   to('big-order-ids', { key: Serdes.string(), value: Serdes.json<number>() }),
 * );
 *
 * testTopology(builder.build(), ({ input, expectOutput }) => {
 *   input('orders', '-a-b-c-|', {
 *     a: { key: 'k1', value: '{"id":1,"total":50}' },
 *     b: { key: 'k2', value: '{"id":2,"total":500}' },
 *     c: { key: 'k3', value: null },
 *   });
 *   expectOutput('big-order-ids', '---x---|', { x: { key: 'k2', value: '2' } });
 * });
 */
export const testTopology = (
  topology: TestedTopology,
  body: (kit: TopologyTestKit) => void,
  options: TestTopologyOptions = {},
): TopologyTestResult => {
  const scheduler = new TestScheduler(options.assertDeepEqual ?? assertDeepEqual);
  let driver: TopologyDriver | undefined;
  scheduler.run((helpers) => {
    driver = topologyDriver(topology, scheduler, options);
    body({
      ...helpers,
      input: driver.input,
      output: driver.output,
      expectOutput: driver.expectOutput,
      refuseSends: driver.refuseSends,
    });
  });
  return { committedOffsets: driver?.committedOffsets() ?? {} };
};
