/** How big the scenarios are: `full` (npm run test:chaos) or `short` (CI: CHAOS_PROFILE=short). */
export const PROFILE = process.env['CHAOS_PROFILE'] === 'short' ? 'short' : 'full';

const pick = <T>(full: T, short: T): T => (PROFILE === 'full' ? full : short);

export const SIZES = {
  /** Network cuts in a row, each of `cutMs`. */
  cuts: Number(process.env['CHAOS_CUTS'] ?? pick(20, 2)),
  cutMs: Number(process.env['CHAOS_CUT_MS'] ?? 10_000),
  /** Records written before a fault. */
  records: pick(20_000, 4_000),
  /** Records a second under continuous production. */
  rate: pick(200, 150),
};

/** After a fault heals, no new output within this long is a stall. */
export const STALL_MS = 90_000;
