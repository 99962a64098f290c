import { asyncScheduler } from 'rxjs';

/**
 * Where liveness bounds run: the wall clock. Liveness is about a real client, so its bounds
 * never run on the runner's `scheduler`, which specs may make virtual (a virtual clock would
 * expire them at once).
 */
export const LIVENESS_SCHEDULER = asyncScheduler;
