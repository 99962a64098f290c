import type { StreamRecord } from '../record/stream-record';
import type { DEFAULT_BRANCH } from './default-branch';

/**
 * Decides whether a record goes to a branch of `KStream.branch`; may return a Promise.
 *
 * @example
 * const big: BranchPredicate<string, Order> = (_key, order) => order.total > 100;
 */
export type BranchPredicate<K, V> = (
  key: K,
  value: V,
  record: StreamRecord<K, V>,
) => boolean | Promise<boolean>;

/**
 * The argument of `KStream.branch`: branch names to predicates, at most one of them
 * {@link DEFAULT_BRANCH}.
 *
 * @example
 * const branches: Branches<string, Order> = { big: (_k, o) => o.total > 100, rest: DEFAULT_BRANCH };
 */
export type Branches<K, V> = Record<string, BranchPredicate<K, V> | typeof DEFAULT_BRANCH>;
