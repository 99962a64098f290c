import type { RestoredEntry } from './restored-state';
import type { Ordering } from '../../lib/runner/record-ordering';
import type { ErrorHandler } from '../../lib/errorhandler/error-handler';
import type { Logger } from '../../lib/logger/logger';

/**
 * How the driver treats failed records — the runners' error-handling options, with the
 * same defaults and fallbacks, applied by the runners' own record life (retry delays run in
 * virtual time) — and which topics the topology may write besides its sinks'.
 *
 * @example
 * testTopology(topology, body, { errorHandler: withDLQ('orders-dlq'), outputTopics: ['orders-dlq'] });
 */
export interface TopologyDriverOptions {
  /**
   * Decides on every failed record a phase handler does not cover. Default `silentFail()`:
   * the first failure stops the topology and every output diagram ends with `#` (that error).
   */
  readonly errorHandler?: ErrorHandler | undefined;
  /** Decides on deserialization and serialization failures (default: `errorHandler`). */
  readonly serdeErrorHandler?: ErrorHandler | undefined;
  /** Decides on failures of user callbacks (default: `errorHandler`). */
  readonly processingErrorHandler?: ErrorHandler | undefined;
  /**
   * Decides on refused sends (see `refuseSends`; default: `errorHandler`): a retry sends
   * the refused outputs again, in virtual time.
   */
  readonly productionErrorHandler?: ErrorHandler | undefined;
  /** Where the error handling logs (default: nothing). */
  readonly logger?: Logger | undefined;
  /**
   * Topics the topology may write besides those its sinks write by name: the dead-letter
   * topics of its error handlers, topics a sink's function picks. `expectOutput` (or
   * `output`) on a topic that no sink writes, that no record went to during the test and
   * that is not named here fails with a TopologyTestError: name a dead-letter topic here to
   * assert that nothing went to it (`expectOutput('orders.dlq', '---|')`).
   */
  readonly outputTopics?: readonly string[] | undefined;
  /**
   * How each partition's records are ordered, as `partitionedRunner`'s option of the same name
   * (default `'partition'`): `'key'` runs up to `maxConcurrency` records of a partition at
   * once, one per key; `'unordered'` up to `maxConcurrency` in no order.
   */
  readonly ordering?: Ordering | undefined;
  /** Records of one partition at once with `'key'` or `'unordered'` (default 16). */
  readonly maxConcurrency?: number | undefined;
  /**
   * Names the changelog topics of the topology's state stores,
   * `<applicationId>-<store>-changelog` (default `'test'`): their writes are outputs there,
   * which `expectOutput` can assert.
   */
  readonly applicationId?: string | undefined;
  /**
   * The partitions of the topology's repartition topics (`groupBy`; default 1): a record
   * written to one goes to the partition of its key (murmur2, as Kafka's producers place
   * it), read back by that partition's task, in the frame it was written.
   */
  readonly repartitionPartitions?: number | undefined;
  /**
   * What the stores' changelogs hold when the test starts, by store name: each task
   * restores its partition's entries (`partition`, default 0) before its first record, as a
   * runner restores a store on assignment, so a test can start from a state ("fig was
   * counted 41 times"). Keys and values are typed, written with the store's serdes; they are
   * not outputs of the changelog.
   */
  readonly restored?: Readonly<Record<string, readonly RestoredEntry[]>> | undefined;
}
