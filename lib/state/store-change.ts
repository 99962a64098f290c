/**
 * One change of a state store made while a record was processed: the key, its new value
 * (`null` when it was deleted) and the value it had (`undefined` when it had none), in the
 * store of task partition `partition`. What `app.changes(store)` emits.
 *
 * @example
 * const change: StoreChange<string, number> = { store: 'counts', partition: 0, key: 'fig', value: 2, oldValue: 1 };
 */
export interface StoreChange<K, V> {
  readonly store: string;
  readonly partition: number;
  readonly key: K;
  readonly value: V | null;
  readonly oldValue: V | undefined;
}

/**
 * Where a run's stores report their changes: an RxJS Subject fits. A store reads the old
 * value and reports only while `observed` is true, so nobody listening costs nothing.
 *
 * @example
 * const changes = new Subject<StoreChange<unknown, unknown>>();
 * topology.createTask(info, { applicationId: 'app', storeChanges: changes });
 */
export interface StoreChanges {
  readonly observed: boolean;
  next(change: StoreChange<unknown, unknown>): void;
}
