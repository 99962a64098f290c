/**
 * Names of the span events rx-kstreams adds to a record's `process` span.
 *
 * @example
 * span.addEvent(EVENT.retry, { 'rx_kstreams.attempt': 2 });
 */
export const EVENT = {
  /** A failure shown to the error handler (`exception` attributes, phase, attempt). */
  failure: 'exception',
  /** The error handler's decision: `rx_kstreams.error_handler.action`. */
  action: 'rx_kstreams.error_handler.action',
  /** The record runs again after a retry's wait. */
  retry: 'rx_kstreams.retry',
  /** The record was abandoned or given up: it is not committed and will be read again. */
  abandoned: 'rx_kstreams.abandoned',
} as const;
