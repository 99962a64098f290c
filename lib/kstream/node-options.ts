import type { KnownKeys } from '../errors/known-keys';

/**
 * Options every operator takes as its last argument.
 *
 * @example
 * stream.pipe(filter((_k, v) => v !== null, { name: 'drop-tombstones' }));
 */
export interface NodeOptions {
  /** The node's name in the topology; when absent, `KIND-0000000007` from the builder's counter. */
  readonly name?: string | undefined;
}

/** The names of {@link NodeOptions}, for refusing unknown keys. */
export const NODE_OPTION_KEYS: KnownKeys<NodeOptions> = { name: true };
