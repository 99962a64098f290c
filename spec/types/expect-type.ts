/**
 * Type-level assertions for the specs in `spec/types/`: they run in the compiler, not in
 * Jest. `npm run typecheck` compiles these files twice (the root tsconfig and
 * `spec/types/tsconfig.json`, which turns `exactOptionalPropertyTypes` on), so a line that
 * must compile breaks the build when it stops compiling, and a `// @ts-expect-error` line
 * breaks it when it starts compiling.
 */

/**
 * `true` when `A` and `B` are the same type, not merely assignable to each other (`any`,
 * `unknown`, optional and readonly properties are told apart).
 *
 * @example
 * type Yes = Equal<KStream<string, number>, KStream<string, number>>; // true
 * type No = Equal<KStream<string, number> | undefined, KStream<string, number>>; // false
 */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/**
 * Compiles only when given `true`: `assertType<Equal<typeof x, Expected>>()`.
 *
 * @example
 * assertType<Equal<typeof streams.big, KStream<string, Order>>>();
 */
export const assertType = <_Check extends true>(): void => undefined;

/**
 * A value of any type, for specs that only type-check: never called at run time.
 *
 * @example
 * const orders = value<KStream<string, Order>>();
 */
export const value = <T>(): T => undefined as T;

/**
 * The optional properties of `T` that an explicit `undefined` may not be given to: under
 * `exactOptionalPropertyTypes`, every `prop?: X` not declared `prop?: X | undefined`.
 * (Without that option, none.)
 *
 * @example
 * type Refused = RefusesUndefined<{ a?: string; b?: string | undefined }>; // 'a'
 */
export type RefusesUndefined<T> = {
  [P in keyof T]-?: Record<never, never> extends Pick<T, P>
    ? { [Q in P]: undefined } extends Pick<T, P>
      ? never
      : P
    : never;
}[keyof T];

/**
 * Compiles only when given `never`; the error names the type it was given instead:
 * `assertNone<RefusesUndefined<Options>>()` fails with `Type '"logger"' does not satisfy the
 * constraint 'never'`.
 *
 * @example
 * assertNone<RefusesUndefined<InMemoryKafkaOptions>>();
 */
export const assertNone = <_Check extends never>(): void => undefined;
