import type { StreamRecord } from '../record/stream-record';
import type { ProcessorContext } from './processor-context';
import type { RecordContext } from './record-context';

/**
 * A custom processor: the escape hatch of the DSL, for per-task state and for emitting any
 * number of records per input. `process` may return a Promise; the record is done when it
 * settles and the records it forwarded have gone through the children. Its second argument
 * carries the record's `signal`, which aborts when the record is abandoned.
 *
 * @example
 * const counter = (): Processor<string, Order, string, number> => {
 *   let context: ProcessorContext<string, number>;
 *   let count = 0;
 *   return {
 *     init: (c) => { context = c; },
 *     process: (record) => context.forward({ ...record, value: ++count }),
 *   };
 * };
 * stream.pipe(process(counter));
 */
export interface Processor<K, V, K2 = K, V2 = V> {
  /** Called once, before the first record. */
  init?(context: ProcessorContext<K2, V2>): void;
  process(record: StreamRecord<K, V>, context: RecordContext): void | Promise<void>;
  /** Called once, when the task closes (or the standalone operator is unsubscribed). */
  close?(): void | Promise<void>;
}

/**
 * Makes processors. It must return a new instance on every call: a topology makes one per
 * task, and `build()` calls it twice to check the instances are distinct.
 *
 * @example
 * const supplier: ProcessorSupplier<string, Order> = () => new AuditProcessor();
 */
export type ProcessorSupplier<K, V, K2 = K, V2 = V> = () => Processor<K, V, K2, V2>;
