/**
 * The type of {@link DEFAULT_BRANCH}. A class with a private field, so that no other value
 * has this type, and an object type, so that it stays this type inside an object literal:
 * a `unique symbol` widens to `symbol` there, and `const branches = { rest: DEFAULT_BRANCH }`
 * would no longer be branches.
 */
class DefaultBranchMarker {
  readonly #name = 'DEFAULT_BRANCH';

  /** `DEFAULT_BRANCH`, for messages and logs. */
  toString(): string {
    return this.#name;
  }
}

/**
 * The type of {@link DEFAULT_BRANCH}, for annotations: `Record<string, BranchPredicate<K, V> | DefaultBranch>`.
 *
 * @example
 * const rest: DefaultBranch = DEFAULT_BRANCH;
 */
export type DefaultBranch = DefaultBranchMarker;

/**
 * Marks the branch of `KStream.branch` that takes the records no predicate took.
 *
 * @example
 * const { big, other } = orders.branch({
 *   big: (_key, order) => order.total > 100,
 *   other: DEFAULT_BRANCH,
 * });
 */
export const DEFAULT_BRANCH: DefaultBranch = new DefaultBranchMarker();
