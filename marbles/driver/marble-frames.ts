/**
 * A frame as the TestScheduler records one: what happened at which virtual time.
 *
 * @example
 * const frame: MarbleFrame = { frame: 3, notification: { kind: 'N', value: 'x', error: undefined } };
 */
export interface MarbleFrame {
  readonly frame: number;
  readonly notification: {
    readonly kind: string;
    readonly value?: unknown;
    readonly error?: unknown;
  };
}

/**
 * Whether `value` is what `expectObservable` compares: an array of frames.
 *
 * @example
 * isFrames([{ frame: 0, notification: { kind: 'C' } }]); // true
 */
export const isFrames = (value: unknown): value is readonly MarbleFrame[] =>
  Array.isArray(value) &&
  value.every(
    (f: Partial<MarbleFrame> | null) =>
      typeof f === 'object' &&
      f !== null &&
      typeof f.frame === 'number' &&
      typeof f.notification === 'object' &&
      f.notification !== null,
  );

/**
 * Frames as a diff should show them: each frame's number next to what happened at it
 * (`{ frame: 3, kind: 'next', value }`, `{ frame: 5, kind: 'error', error }`,
 * `{ frame: 7, kind: 'complete' }`), without the fields a notification of that kind leaves
 * undefined, so the number of a frame that differs is in the lines around the difference.
 * Two frame arrays are equal exactly when their readable forms are; a matcher stays where
 * it was given.
 *
 * @example
 * readableFrames([{ frame: 1, notification: { kind: 'N', value: 'a', error: undefined } }]);
 * // [{ frame: 1, kind: 'next', value: 'a' }]
 */
export const readableFrames = (frames: readonly MarbleFrame[]): unknown[] =>
  frames.map(({ frame, notification: { kind, value, error } }) => {
    switch (kind) {
      case 'N':
        return { frame, kind: 'next', value };
      case 'E':
        return { frame, kind: 'error', error };
      case 'C':
        return { frame, kind: 'complete' };
      default:
        return { frame, notification: { kind, value, error } };
    }
  });
