import { lastValueFrom, type Observable } from 'rxjs';
import type { ProducerRecord } from '../../lib/kafka/client';
import type { RawRecord } from '../../lib/record/stream-record';
import type { Serde } from '../../lib/serde/serde';
import type { RecordSink, TaskInfo } from '../../lib/topology/topology-task';

/** A raw input record with string key/value turned into bytes. */
export const raw = (
  topic: string,
  key: string | null,
  value: string | null,
  extra: Partial<RawRecord> = {},
): RawRecord => ({
  topic,
  partition: 0,
  offset: '0',
  timestamp: 1_700_000_000_000,
  headers: {},
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  ...extra,
});

/** What a sink was handed, with key and value as strings. */
export interface Sent {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly nodeName: string;
}

/** A RecordSink that keeps everything it is sent. */
export class CollectingSink implements RecordSink {
  readonly records: { record: ProducerRecord; nodeName: string }[] = [];
  readonly signal = new AbortController().signal;
  send(record: ProducerRecord, nodeName: string): void {
    this.records.push({ record, nodeName });
  }
  get sent(): Sent[] {
    return this.records.map(({ record, nodeName }) => ({
      topic: record.topic,
      key: record.key === null ? null : record.key.toString(),
      value: record.value === null ? null : record.value.toString(),
      nodeName,
    }));
  }
}

/** Local UTF-8 string serde, so these tests do not depend on lib/serde. */
export const text: Serde<string | null> = {
  serialize: (_topic, value) => (value === null ? null : Buffer.from(value)),
  deserialize: (_topic, data) => (data === null ? null : data.toString()),
};

/** A serde whose every call throws `error`. */
export const failingSerde = <T>(error: unknown): Serde<T> => ({
  serialize: () => {
    throw error;
  },
  deserialize: () => {
    throw error;
  },
});

export const taskInfo = (topic = 'in', partition = 0): TaskInfo => ({
  id: `${topic}:${partition}`,
  topic,
  partition,
});

/** Runs an Observable<never> to its end; resolves on completion, rejects on error. */
export const run = (work: Observable<never>): Promise<void> =>
  lastValueFrom(work, { defaultValue: undefined });

/** Whether `work` completed synchronously when subscribed. */
export const completesSynchronously = (work: Observable<never>): boolean => {
  let done = false;
  work.subscribe({ complete: () => (done = true), error: () => (done = true) });
  return done;
};

/** The error `work` ends with. */
export const failureOf = async (work: Observable<never>): Promise<unknown> =>
  run(work).then(
    () => {
      throw new Error('expected the record to fail');
    },
    (error: unknown) => error,
  );
