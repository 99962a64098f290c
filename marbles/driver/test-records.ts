import type { Serde } from '../../lib/serde/serde';

/** A key or value given without a serde: text (written as UTF-8), bytes, or null. */
export type RawInput = string | Buffer | null;

/**
 * One record written to an input topic at a marble's frame. Offsets count from 0 per
 * partition; the timestamp defaults to the frame's virtual time.
 *
 * @example
 * const a: TestInputRecord<RawInput, RawInput> = { key: 'k1', value: '{"id":1}', headers: { trace: 't-1' } };
 */
export interface TestInputRecord<K, V> {
  /** Absent (or undefined): a null key. */
  readonly key?: K | undefined;
  readonly value: V;
  /** Text headers are written as UTF-8. */
  readonly headers?: Readonly<Record<string, string | Buffer | undefined>> | undefined;
  /** The partition, when not the input's (default 0). */
  readonly partition?: number | undefined;
  /** Milliseconds; default: the virtual time of the frame. */
  readonly timestamp?: number | undefined;
}

/**
 * How an input's records become bytes. Without a serde, keys and values must be
 * {@link RawInput}s.
 *
 * @example
 * input('orders', '-a|', { a: { key: 'k1', value: { id: 1 } } }, { value: Serdes.json<Order>() });
 */
export interface InputOptions<K, V> {
  readonly key?: Serde<K> | undefined;
  readonly value?: Serde<V> | undefined;
  /** The partition of every record that names none (default 0). */
  readonly partition?: number | undefined;
}

/**
 * A record the topology wrote, decoded: header values as UTF-8 text.
 *
 * @example
 * output('totals').subscribe((r: TestOutputRecord<string | null, string | null>) => console.log(r.key, r.value));
 */
export interface TestOutputRecord<K, V> {
  readonly topic: string;
  readonly key: K;
  readonly value: V;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Set when the sink chose one; absent when the producer would pick it from the key. */
  readonly partition?: number;
  readonly timestamp?: number;
  /** The sink node that wrote it (`dead-letter` for a record the error handler sent to a DLQ). */
  readonly nodeName: string;
}

/**
 * What a frame of an output diagram holds: `{ key, value }`. Give `headers`, `partition`
 * or `timestamp` in any value of a diagram to compare that field in every frame of it.
 *
 * @example
 * expectOutput('totals', '-x|', { x: { key: 'k1', value: '42', headers: { trace: 't-1' } } });
 */
export interface ExpectedRecord<K, V> {
  readonly key: K;
  readonly value: V;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly partition?: number;
  readonly timestamp?: number;
}

/**
 * How an output topic's records are decoded: `Serdes.string()` for both unless given.
 *
 * @example
 * output('totals', { value: Serdes.json<number>() });
 */
export interface OutputOptions<K, V> {
  readonly key?: Serde<K> | undefined;
  readonly value?: Serde<V> | undefined;
}

/**
 * {@link OutputOptions} plus the error a `#` in the diagram stands for.
 *
 * @example
 * expectOutput('out', '-x-#', { x }, { error: expect.any(ProcessingError) });
 */
export interface ExpectOutputOptions<K, V> extends OutputOptions<K, V> {
  /** The value of the diagram's `#` (any value, `undefined` included). */
  readonly error?: unknown;
}
