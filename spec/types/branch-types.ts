/**
 * `KStream.branch(branches)` gives back one `KStream` per name given, exactly those names,
 * and none of them `| undefined` under `noUncheckedIndexedAccess`: literal names, names
 * computed from constants, the members of a union in a `Record<Names, ...>`, and a branches
 * object built before the call (DEFAULT_BRANCH keeps its type there).
 */
import {
  type BranchPredicate,
  type Branches,
  DEFAULT_BRANCH,
  type KStream,
  Serdes,
} from 'rx-kstreams';
import { assertType, type Equal, value } from './expect-type';

interface Order {
  readonly region: 'eu' | 'us' | 'apac';
  readonly total: number;
}
type Orders = KStream<string, Order>;
const orders = value<Orders>();

// Literal names.
const literal = orders.branch({ big: (_id, order) => order.total > 100, rest: DEFAULT_BRANCH });
assertType<Equal<typeof literal, { readonly big: Orders; readonly rest: Orders }>>();
// @ts-expect-error only the branches given exist
export const missing = literal.small;

// Names computed from constants.
const big = 'big';
const small = 'small';
export const computed = orders.branch({
  [big]: (_id, order) => order.total > 100,
  [small]: (_id, order) => order.total < 10,
  other: DEFAULT_BRANCH,
});
assertType<Equal<typeof computed.big, Orders>>();
assertType<Equal<typeof computed.small, Orders>>();
assertType<Equal<keyof typeof computed, 'big' | 'small' | 'other'>>();
const Region = { EU: 'eu', US: 'us' } as const;
export const { [Region.EU]: eu, [Region.US]: us } = orders.branch({
  [Region.EU]: (_id, order) => order.region === 'eu',
  [Region.US]: DEFAULT_BRANCH,
});
assertType<Equal<typeof eu, Orders>>();
assertType<Equal<typeof us, Orders>>();

// A Record over a union of names.
type Region = Order['region'];
const byRegion =
  (region: Region): BranchPredicate<string, Order> =>
  (_id, order) =>
    order.region === region;
const routes: Record<Region, BranchPredicate<string, Order>> = {
  eu: byRegion('eu'),
  us: byRegion('us'),
  apac: byRegion('apac'),
};
const regional = orders.branch(routes);
assertType<Equal<typeof regional, { readonly [R in Region]: Orders }>>();
assertType<Equal<(typeof regional)['apac'], Orders>>();
regional.eu.to('orders-eu', { key: Serdes.string(), value: Serdes.json<Order>() });

// A generic helper keeps its names.
export const split = <N extends string>(
  stream: Orders,
  predicates: Record<N, BranchPredicate<string, Order>>,
): Record<N, Orders> => stream.branch(predicates);

// A branches object built before the call: DEFAULT_BRANCH stays DEFAULT_BRANCH in it.
const prepared = { large: (_id: string, order: Order) => order.total > 100, rest: DEFAULT_BRANCH };
export const fromPrepared = orders.branch(prepared);
assertType<Equal<typeof fromPrepared.rest, Orders>>();
assertType<Equal<keyof typeof fromPrepared, 'large' | 'rest'>>();

// Optional names stay optional: a branch not given has no stream.
const some: Partial<Record<Region, BranchPredicate<string, Order>>> = { eu: byRegion('eu') };
export const partial = orders.branch(some);
assertType<Equal<typeof partial.us, Orders | undefined>>();

// Names the compiler does not know give an index signature, so a lookup may be undefined.
const unknownNames: Branches<string, Order> = {};
const dynamic = orders.branch(unknownNames);
assertType<Equal<(typeof dynamic)[string], Orders>>();
// @ts-expect-error noUncheckedIndexedAccess: 'any' may not be a branch
export const anyName: Orders = dynamic.any;

// Symbol keys are no branch names (and branch() refuses them at run time, from JavaScript).
const tag = Symbol('tag');
// @ts-expect-error a branch is named by a string
orders.branch({ [tag]: () => true, named: () => true });

// What a branch holds is checked: a predicate of these records, or DEFAULT_BRANCH.
// @ts-expect-error a string is no predicate
orders.branch({ odd: 'yes' });
// @ts-expect-error an object that prints like DEFAULT_BRANCH is not DEFAULT_BRANCH
orders.branch({ rest: { toString: () => 'DEFAULT_BRANCH' } });
// @ts-expect-error the predicate takes Orders, not numbers
orders.branch({ big: (_id: string, total: number) => total > 100 });
