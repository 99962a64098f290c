import type { RawRecord } from '../../lib/record/stream-record';
import { changelogTopic, type StoreDefinition } from '../../lib/state/stores';
import type { TaskStore } from '../../lib/state/task-store';
import { TopologyTestError } from './topology-test-error';

/**
 * An entry a store's changelog holds before the test starts: a key and its value (typed, as
 * the store's serdes write them), in the changelog partition `partition` (default 0: the
 * task of input partition 0).
 *
 * @example
 * const entry: RestoredEntry = { key: 'fig', value: 41 };
 */
export interface RestoredEntry {
  readonly key: unknown;
  readonly value: unknown;
  readonly partition?: number | undefined;
}

/**
 * Fills each task's stores, before its first record, with what the test says their
 * changelogs hold (the driver's `restored` option): a task restores its partition's entries
 * as a runner restores a store on assignment. Checked against the topology's stores when
 * the driver is made.
 *
 * @example
 * const restore = restoredState({ counts: [{ key: 'fig', value: 41 }] }, topology.stateStores, 'test');
 * restore(task.stores);
 */
export const restoredState = (
  given: Readonly<Record<string, readonly RestoredEntry[]>> | undefined,
  stores: readonly StoreDefinition<unknown, unknown>[],
  applicationId: string,
): ((taskStores: readonly TaskStore[]) => void) => {
  const entries = Object.entries(given ?? {});
  for (const [name, list] of entries) {
    const store = stores.find((s) => s.name === name);
    if (store === undefined) {
      const names = stores.map((s) => s.name).join(', ') || 'none';
      throw new TopologyTestError(
        `restored: the topology has no state store named "${name}" (its stores: ${names})`,
      );
    }
    if (!Array.isArray(list)) {
      throw new TopologyTestError(
        `restored.${name} is not a list of entries: expected [{ key, value, partition? }]`,
      );
    }
  }
  const restored = new WeakSet<TaskStore>();
  return (taskStores) => {
    for (const store of taskStores) {
      if (restored.has(store)) continue;
      restored.add(store);
      const list = given?.[store.name] ?? [];
      const topic = changelogTopic(applicationId, store.name);
      const { key, value } = store.definition;
      const records: RawRecord[] = list
        .filter((entry) => (entry.partition ?? 0) === store.partition)
        .map((entry, offset) => ({
          topic,
          partition: store.partition,
          offset: String(offset),
          key: key.serialize(topic, entry.key),
          value: entry.value === null ? null : value.serialize(topic, entry.value),
          headers: {},
          timestamp: 0,
        }));
      if (records.length > 0) store.restore(records);
    }
  };
};
