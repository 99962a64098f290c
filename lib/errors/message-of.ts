/**
 * The text of whatever was thrown or rejected: an Error's message, anything else as a string.
 * Error messages quote it for their cause, so the reason reads the same everywhere.
 *
 * @example
 * messageOf(new SyntaxError('Unexpected end of JSON input')); // 'Unexpected end of JSON input'
 * messageOf('timed out'); // 'timed out'
 */
export const messageOf = (thrown: unknown): string =>
  thrown instanceof Error ? thrown.message : String(thrown);
