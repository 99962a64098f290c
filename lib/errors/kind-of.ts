/**
 * Names what a value is, for messages about input of the wrong type:
 * `null`, `an array`, `a Uint8Array`, `a number`...
 *
 * @example
 * kindOf(42); // 'a number'
 * kindOf(new Uint8Array(2)); // 'a Uint8Array'
 */
export const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
};
