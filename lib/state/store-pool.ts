import type { TaskStore } from './task-store';

/**
 * The stores of one run, shared by the tasks of one partition number: a store used under
 * the sources of several topics (a table and the stream joined with it) is one instance for
 * partition N of all of them, made by the first of their tasks, restored once, and closed
 * with the last. A store used under one topic has one holder and lives as its task does.
 * Internal: runners and the marble driver keep one per run; a task made without one keeps
 * one of its own.
 *
 * @example
 * const pool = new StorePool();
 * const store = pool.acquire('prices-table', 0, () => new TaskStore(definition, bytes, changelog));
 * if (pool.release(store)) await store.close();
 */
export class StorePool {
  private readonly held = new Map<string, TaskStore>();

  /** The store `name` of partition `partition`: the one held already, or a new one. */
  acquire(name: string, partition: number, make: () => TaskStore): TaskStore {
    const key = `${name}:${partition}`;
    let store = this.held.get(key);
    if (store === undefined) {
      store = make();
      this.held.set(key, store);
    }
    store.holders += 1;
    return store;
  }

  /** A task let go of `store`; true when it was the last holder (then the caller closes it). */
  release(store: TaskStore): boolean {
    store.holders -= 1;
    if (store.holders > 0) return false;
    const key = `${store.name}:${store.partition}`;
    if (this.held.get(key) === store) this.held.delete(key);
    return true;
  }
}
