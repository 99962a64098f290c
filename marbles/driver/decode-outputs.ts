import { filter, map, type OperatorFunction, pipe } from 'rxjs';
import type { ProducerRecord } from '../../lib/kafka/client';
import type { Serde } from '../../lib/serde/serde';
import { string } from '../../lib/serde/string';
import type { OutputOptions, TestOutputRecord } from './test-records';
import type { SentRecord } from './virtual-producer';

const decodeHeaders = (record: ProducerRecord): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(record.headers ?? {}).map(([name, v]) => [name, v?.toString('utf8')]),
  );

/**
 * The records sent to `topic`, decoded with the serdes of `options` (`Serdes.string()` for
 * key and value unless given), header values as UTF-8 text.
 *
 * @example
 * sent.pipe(decodeOutputs('totals', { value: Serdes.json<number>() }));
 */
export const decodeOutputs = <K, V>(
  topic: string,
  options: OutputOptions<K, V>,
): OperatorFunction<SentRecord, TestOutputRecord<K, V>> => {
  const keySerde = options.key ?? (string() as Serde<unknown> as Serde<K>);
  const valueSerde = options.value ?? (string() as Serde<unknown> as Serde<V>);
  return pipe(
    filter(({ record }) => record.topic === topic),
    map(({ record, nodeName }) => ({
      topic,
      key: keySerde.deserialize(topic, record.key),
      value: valueSerde.deserialize(topic, record.value),
      headers: decodeHeaders(record),
      ...(record.partition === undefined ? {} : { partition: record.partition }),
      ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }),
      nodeName,
    })),
  );
};
