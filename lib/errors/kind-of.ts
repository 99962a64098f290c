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

/**
 * A value as an error message shows it: its kind, and a primitive's value too, so that a
 * wrong type is told from a wrong value (`'1000'` is `a string "1000"`, not `1000`).
 *
 * @example
 * describeValue('1000'); // 'a string "1000"'
 * describeValue(1.5); // 'a number 1.5'
 * describeValue([1]); // 'an array'
 */
export const describeValue = (value: unknown): string => {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'string':
      return `a string ${JSON.stringify(value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `a ${typeof value} ${String(value)}`;
    default:
      return kindOf(value);
  }
};
