import type { ErrorPhase } from '../errors/phase';
import type { RawRecord } from '../record/stream-record';

/**
 * What an error handler is told about a failure.
 *
 * @example
 * const handler: ErrorHandler = (ec) => {
 *   console.log(`${ec.phase} error at ${ec.nodeName} on attempt ${ec.attempt}`, ec.error);
 *   return Action.continue();
 * };
 */
export interface ErrorContext {
  /** The input record as it came from Kafka (bytes), so it can be replayed or dead-lettered. */
  readonly record: RawRecord;
  readonly error: Error;
  /** 1 for the first failure of this record, 2 after one retry, ... */
  readonly attempt: number;
  /** The topology node that failed, when known. */
  readonly nodeName?: string | undefined;
  readonly phase: ErrorPhase;
}
