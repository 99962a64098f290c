/** Whatever was thrown, as an Error (a non-Error becomes an Error with its text). */
export const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
