/** Where in a record's life an error happened; picks the error handler that decides. */
export type ErrorPhase = 'serde' | 'processing' | 'production' | 'unknown';

/** An error that knows its phase and, where there is one, the topology node it came from. */
export interface PhasedError extends Error {
  readonly phase: ErrorPhase;
  readonly nodeName?: string | undefined;
}

/** True when `e` carries a phase (a SerdeError, ProcessingError or ProductionError). */
export const isPhasedError = (e: unknown): e is PhasedError =>
  e instanceof Error && typeof (e as Partial<PhasedError>).phase === 'string';
