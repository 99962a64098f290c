/**
 * Seconds since `startedMs` (a `performance.now()` reading): what the duration histograms
 * record.
 *
 * @example
 * histogram.record(secondsSince(started), attributes);
 */
export const secondsSince = (startedMs: number): number => (performance.now() - startedMs) / 1000;
