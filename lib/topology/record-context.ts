/**
 * What a callback or processor is given besides the record itself: the record's
 * cancellation. It is the last argument of every DSL callback and the second of
 * `Processor.process`.
 *
 * @example
 * stream.pipe(
 *   mapValues(async (order, _record, { signal }) => {
 *     const response = await fetch(`https://rates.example/${order.currency}`, { signal });
 *     return { ...order, rate: Number(await response.text()) };
 *   }),
 * );
 */
export interface RecordContext {
  /**
   * Aborts when the record is abandoned: a shutdown or revocation ran out of time, a second
   * Ctrl-C forced the stop, or the liveness watchdog replaced a stalled client. An abandoned
   * record is not committed and is read again (here or by the partition's next owner), so
   * work it started may stop. Its `reason` is a `DOMException` named `AbortError`.
   */
  readonly signal: AbortSignal;
}
