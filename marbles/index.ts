/**
 * rx-kstreams/marbles: test a topology with marble diagrams in virtual time.
 *
 * @example
 * import { testTopology } from 'rx-kstreams/marbles';
 */
export {
  testTopology,
  type TestTopologyOptions,
  type TopologyTestKit,
  type TopologyTestResult,
} from './driver/test-topology';
export { topologyDriver, type TopologyDriver } from './driver/topology-driver';
export type { TestedTopology } from './driver/tested-topology';
export type { TopologyDriverOptions } from './driver/topology-driver-options';
export type { RestoredEntry } from './driver/restored-state';
export type {
  ExpectedRecord,
  ExpectOutputOptions,
  InputOptions,
  OutputOptions,
  RawInput,
  TestInputRecord,
  TestOutputRecord,
} from './driver/test-records';
export { TopologyTestError } from './driver/topology-test-error';
export { assertDeepEqual } from './driver/assert-deep-equal';
