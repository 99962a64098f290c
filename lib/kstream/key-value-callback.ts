import type { StreamRecord } from '../record/stream-record';
import type { RecordContext } from '../topology/record-context';

/**
 * A DSL callback that is given a record's key and value, then the record itself and its
 * context (the record's cancellation signal).
 *
 * @example
 * const isBig: KeyValueCallback<string, Order, boolean> = (_key, order) => order.total > 100;
 */
export type KeyValueCallback<K, V, R> = (
  key: K,
  value: V,
  record: StreamRecord<K, V>,
  context: RecordContext,
) => R;
