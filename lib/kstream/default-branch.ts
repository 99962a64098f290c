/**
 * Marks the branch of `KStream.branch` that takes the records no predicate took.
 *
 * @example
 * const { big, other } = orders.branch({
 *   big: (_key, order) => order.total > 100,
 *   other: DEFAULT_BRANCH,
 * });
 */
export const DEFAULT_BRANCH: unique symbol = Symbol('DEFAULT_BRANCH');
