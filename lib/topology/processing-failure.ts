import { catchError, type MonoTypeOperatorFunction, throwError } from 'rxjs';
import { ProcessingError } from '../errors/processing-error';
import { isPhasedError } from '../errors/phase';
import type { StreamRecord } from '../record/stream-record';

/**
 * Tags an error with the node where it happened, as a ProcessingError located at the
 * record. An error some node already tagged (a phased error with a node name) is
 * returned as it is, so an error is tagged once, where it happened. Internal.
 *
 * @example
 * processingFailure(new Error('boom'), 'MAP-0000000002', record); // ProcessingError
 */
export const processingFailure = (
  error: unknown,
  nodeName: string,
  record: StreamRecord<unknown, unknown>,
): Error =>
  isPhasedError(error) && error.nodeName !== undefined
    ? error
    : new ProcessingError({
        nodeName,
        topic: record.topic,
        partition: record.partition,
        offset: record.offset,
        cause: error,
      });

/**
 * Turns an error of the stream it follows into `processingFailure(error, nodeName, record)`.
 * Internal.
 *
 * @example
 * node.step(record).pipe(failAt(node.name, record));
 */
export const failAt = <T>(
  nodeName: string,
  record: StreamRecord<unknown, unknown>,
): MonoTypeOperatorFunction<T> =>
  catchError((error: unknown) => throwError(() => processingFailure(error, nodeName, record)));
