/**
 * The part of Standard Schema v1 (https://standardschema.dev) a serde uses: the
 * `~standard` property that zod 3.24+, valibot 1, arktype 2 and others put on their schemas.
 * Declared here, as the standard intends, so rx-kstreams depends on no schema library.
 *
 * @example
 * const positive: StandardSchemaV1<number> = {
 *   '~standard': {
 *     version: 1,
 *     vendor: 'hand-written',
 *     validate: (value) =>
 *       typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'not positive' }] },
 *   },
 * };
 */
export interface StandardSchemaV1<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    /** The library that made the schema, e.g. `'zod'`: error messages name it. */
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
  };
}

/**
 * What a Standard Schema's `validate` returns: the (possibly transformed) value, or the issues.
 *
 * @example
 * const result: StandardSchemaResult<number> = { issues: [{ message: 'Required', path: ['id'] }] };
 */
export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: readonly StandardSchemaIssue[] };

/**
 * One problem a Standard Schema found, and where: `path` leads from the payload to it
 * (`['items', 0, 'qty']`); no path means the payload itself.
 *
 * @example
 * const issue: StandardSchemaIssue = { message: 'Expected number', path: ['items', { key: 0 }, 'qty'] };
 */
export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}
