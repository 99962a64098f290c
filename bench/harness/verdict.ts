import { fmt } from './format';

/** One figure checked against the target. */
export interface Verdict {
  readonly label: string;
  /** As printed: `0.62×`, `41 MiB`. */
  readonly value: string;
  /** As printed: `≥ 0.50×`, `≤ 60 MiB`, `—` for a figure without a target. */
  readonly target: string;
  /** Undefined for a figure shown without a target. */
  readonly pass?: boolean;
}

/**
 * What the result column says: pass, FAIL, or — for a figure without a target.
 *
 * @example
 * verdictResult({ label: 'p99', value: '12 ms', target: '—' }); // '—'
 */
export const verdictResult = (v: Verdict): string =>
  v.pass === undefined ? '—' : v.pass ? 'pass' : 'FAIL';

/**
 * `contender / baseline`, checked to be at least `target` (omit it for a figure shown
 * without a target).
 *
 * @example
 * ratioVerdict('single-threaded / hand-written', 61_000, 100_000, 0.5); // 0.61×, pass
 */
export const ratioVerdict = (
  label: string,
  contender: number,
  baseline: number,
  target?: number,
): Verdict & { readonly ratio: number } => {
  const ratio = baseline > 0 ? contender / baseline : 0;
  return {
    label,
    ratio,
    value: fmt.ratio(ratio),
    target: target === undefined ? '—' : `≥ ${fmt.ratio(target)}`,
    ...(target === undefined ? {} : { pass: ratio >= target }),
  };
};

/**
 * A measured value checked to stay at or below a bound.
 *
 * @example
 * boundVerdict('heap growth', 41, 60, fmt.mb); // pass
 */
export const boundVerdict = (
  label: string,
  value: number,
  bound: number,
  show: (n: number) => string,
): Verdict => ({
  label,
  value: show(value),
  target: `≤ ${show(bound)}`,
  pass: value <= bound,
});
