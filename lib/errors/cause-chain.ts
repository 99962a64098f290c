/** The fields of an error (any client's) that say what kind it is. */
export interface ErrorFields {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly errorCode?: unknown;
  readonly cause?: unknown;
}

/**
 * An error and its causes, outermost first, as objects (at most 8 deep: a cause cycle ends
 * there); a thrown non-object ends the chain.
 *
 * @example
 * causeChain(new Error('outer', { cause: inner })).map((e) => e.message); // ['outer', inner.message]
 */
export const causeChain = (error: unknown): ErrorFields[] => {
  const chain: ErrorFields[] = [];
  for (let e = error; typeof e === 'object' && e !== null && chain.length < 8;) {
    const fields = e as ErrorFields;
    chain.push(fields);
    e = fields.cause;
  }
  return chain;
};
