import type { StreamRecord } from '../record/stream-record';
import type { RecordContext } from '../topology/record-context';
import type { DefaultBranch } from './default-branch';
import type { KStream } from './kstream';

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
  context: RecordContext,
) => boolean | Promise<boolean>;

/**
 * The argument of `KStream.branch`: branch names to predicates, at most one of them
 * {@link DEFAULT_BRANCH}.
 *
 * @example
 * const branches: Branches<string, Order> = { big: (_k, o) => o.total > 100, rest: DEFAULT_BRANCH };
 */
export type Branches<K, V> = Record<string, BranchPredicate<K, V> | DefaultBranch>;

/**
 * What `KStream.branch(branches)` returns: one stream per name of `branches`, exactly
 * those names (literal, computed from a `const`, or the members of a union in a
 * `Record<Names, ...>`), each a `KStream`, not `KStream | undefined`; a name that is optional
 * in `branches` stays optional. Only a `branches` whose names the compiler does not know (a
 * `Record<string, ...>`, or a computed name whose type is a union, which TypeScript widens
 * to `string`) gives an index signature, whose lookups may be undefined.
 *
 * @example
 * type Names = 'eu' | 'us';
 * const byRegion = (r: Names): BranchPredicate<string, Order> => (_k, o) => o.region === r;
 * const routes: Record<Names, BranchPredicate<string, Order>> = { eu: byRegion('eu'), us: byRegion('us') };
 * const streams: BranchStreams<typeof routes, string, Order> = orders.branch(routes);
 * streams.eu.to('orders-eu', { key: Serdes.string(), value: Serdes.json<Order>() });
 */
export type BranchStreams<B, K, V> = { readonly [P in keyof B]: KStream<K, V> };

/**
 * What `KStream.branch` asks of its argument besides {@link Branches}: no symbol keys, as a
 * branch is named by a string (and `Object.entries` would skip a symbol).
 *
 * @example
 * const tag = Symbol('tag');
 * orders.branch({ [tag]: () => true }); // does not compile: 'never' expected
 */
export type NoSymbolKeys = { readonly [key: symbol]: never };
