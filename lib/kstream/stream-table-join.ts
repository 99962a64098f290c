import type { StreamRecord } from '../record/stream-record';
import type { KeyValueStore } from '../state/key-value-store';
import { isPromiseLike } from '../topology/eventual';
import type { Processor, ProcessorSupplier } from '../topology/processor';
import type { ProcessorContext } from '../topology/processor-context';

/**
 * What a stream–table join makes of a stream record and its key's value in the table: the
 * joined value, now or later (a Promise: the partition's next record waits for it).
 *
 * @example
 * const priced: ValueJoiner<Order, number, string | null, PricedOrder> = (order, price) => ({ ...order, price });
 */
export type ValueJoiner<V, VT, K, VR> = (
  value: V,
  tableValue: VT,
  key: K,
  record: StreamRecord<K, V>,
) => VR | Promise<VR>;

/**
 * The join's processor: each stream record with a value looks its key up in the table's
 * store, as the table is when the record is processed. An inner join (`left` false) drops a
 * record whose key is null or not in the table; a left join joins it with `null`. Internal:
 * `KStream.join` and `leftJoin`.
 */
export const joining =
  <K, V, VT, VR>(
    store: string,
    joiner: ValueJoiner<NonNullable<V>, VT | null, K, VR>,
    left: boolean,
  ): ProcessorSupplier<K, V, K, VR> =>
  (): Processor<K, V, K, VR> => {
    let context: ProcessorContext<K, VR>;
    let table: KeyValueStore<K, VT>;
    return {
      init: (c) => {
        context = c;
        table = c.stateStore<K, VT>(store);
      },
      process: (record) => {
        if (record.value === null || record.value === undefined) return undefined;
        const key = record.key;
        const found = key === null || key === undefined ? undefined : table.get(key);
        if (found === undefined && !left) return undefined;
        const value = record.value as NonNullable<V>;
        const joined = joiner(value, found ?? null, key, { ...record, value });
        if (isPromiseLike(joined)) {
          return joined.then((later) => context.forward({ ...record, value: later }));
        }
        context.forward({ ...record, value: joined });
        return undefined;
      },
    };
  };
