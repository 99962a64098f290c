import type { ErrorHandler } from '../../lib/errorhandler/error-handler';
import type { Logger } from '../../lib/logger/logger';

/**
 * How the driver treats failed records: the runners' error-handling options, with the
 * same defaults and fallbacks, applied by the runners' own record life. Retry delays run in
 * virtual time.
 *
 * @example
 * testTopology(topology, body, { errorHandler: withDLQ('orders-dlq') });
 */
export interface TopologyDriverOptions {
  /**
   * Decides on every failed record a phase handler does not cover. Default `silentFail()`:
   * the first failure stops the topology and every output diagram ends with `#` (that error).
   */
  readonly errorHandler?: ErrorHandler;
  /** Decides on deserialization and serialization failures (default: `errorHandler`). */
  readonly serdeErrorHandler?: ErrorHandler;
  /** Decides on failures of user callbacks (default: `errorHandler`). */
  readonly processingErrorHandler?: ErrorHandler;
  /**
   * Decides on refused sends (see `refuseSends`; default: `errorHandler`): a retry sends
   * the refused outputs again, in virtual time.
   */
  readonly productionErrorHandler?: ErrorHandler;
  /** Where the error handling logs (default: nothing). */
  readonly logger?: Logger;
}
