/**
 * A key and a value: what `map` and `flatMap` callbacks return. An object rather than a
 * tuple, so it reads like the record it becomes (`record.key`, `record.value`).
 *
 * @example
 * const kv: KeyValue<string, number> = { key: 'eur', value: 42 };
 * stream.pipe(map((_k, order) => ({ key: order.currency, value: order.total })));
 */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}
