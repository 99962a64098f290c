import type { KeyValueStore } from '../state/key-value-store';
import type { Logger } from '../logger/logger';
import type { StreamRecord } from '../record/stream-record';
import type { TaskInfo } from '../topology/topology-task';

/**
 * What a custom processor gets in `init`: a way to pass records on, and where it runs.
 *
 * `forward` and `forwardTo` may be called only while `process()` runs (until its Promise
 * settles). The records they pass go to the children once `process()` is done, in the
 * order they were forwarded.
 *
 * @example
 * class Splitter implements Processor<string, string> {
 *   private context!: ProcessorContext<string, string>;
 *   init(context: ProcessorContext<string, string>) { this.context = context; }
 *   process(record: StreamRecord<string, string>) {
 *     for (const word of record.value.split(' ')) this.context.forward({ ...record, value: word });
 *   }
 * }
 */
export interface ProcessorContext<K, V> {
  /** The processor's node name. */
  readonly nodeName: string;
  /** The task (input partition) this instance serves; undefined outside a topology. */
  readonly task: TaskInfo | undefined;
  readonly logger: Logger;
  /** Passes `record` to every child of this node. */
  forward(record: StreamRecord<K, V>): void;
  /**
   * Passes `record` to the child named `childName` only; an unknown name throws. Only a
   * topology has named children: the standalone RxJS operator throws here.
   */
  forwardTo(childName: string, record: StreamRecord<K, V>): void;
  /**
   * The task's state store `name`, which the node must be connected to (`process(supplier,
   * { stores: [name] })`, the store declared with `builder.addStateStore(...)`); another name
   * throws. Its writes are allowed while `process()` runs, and reach the store's changelog
   * through the record being processed.
   */
  stateStore<SK, SV>(name: string): KeyValueStore<SK, SV>;
}
