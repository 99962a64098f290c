import { readFileSync } from 'node:fs';
import { resolveKafkatsClientOptions } from '../../../lib/kafka/kafkats/kafkats-client-options';

interface BufferedFetch {
  readonly topic: string;
  readonly partition: number;
  readonly records: { readonly offset: bigint }[];
  readonly byteSize: number;
  readonly assignmentEpoch: number;
}
interface FetchBuffer {
  add(fetch: BufferedFetch): void;
  drain(maxRecords: number): BufferedFetch[];
}

/**
 * @kafkats/client 0.12's `FetchBuffer` (not exported): taken from its bundle as it ships, so
 * the spec runs the code the consumer runs.
 */
const loadFetchBuffer = (): new (maxBytes: number) => FetchBuffer => {
  const bundle = readFileSync(require.resolve('@kafkats/client'), 'utf8');
  const start = bundle.indexOf('var FetchBuffer = class {');
  const end = bundle.indexOf('/**\n* Default fetch manager configuration', start);
  if (start < 0 || end < 0) throw new Error('@kafkats/client FetchBuffer not found in its bundle');
  const body = bundle
    .slice(start + 'var FetchBuffer = '.length, end)
    .trim()
    .replace(/;$/, '');
  const tpKey = (topic: string, partition: number): string => `${topic}:${partition}`;
  return new Function('tpKey', 'signalWaiters', `return (${body});`)(tpKey) as new (
    maxBytes: number,
  ) => FetchBuffer;
};

const fetchOf = (from: number, count: number): BufferedFetch => ({
  topic: 't',
  partition: 0,
  records: Array.from({ length: count }, (_, i) => ({ offset: BigInt(from + i) })),
  byteSize: count * 100,
  assignmentEpoch: 0,
});

/** Three fetches of one partition buffered, drained `maxRecords` at a time until empty. */
const drainedOffsets = (maxRecords: number): number[] => {
  const Buffer = loadFetchBuffer();
  const buffer = new Buffer(1e9);
  for (const from of [0, 50, 100]) buffer.add(fetchOf(from, 50));
  const offsets: number[] = [];
  for (let round = 0; round < 10; round += 1) {
    for (const fetch of buffer.drain(maxRecords)) {
      offsets.push(...fetch.records.map((r) => Number(r.offset)));
    }
  }
  return offsets;
};

describe("@kafkats/client's fetch buffer, as the adapter configures it", () => {
  it('should hand a partition out of order when a drain stops inside a fetch (the upstream fault)', () => {
    const offsets = drainedOffsets(70);
    expect(offsets).toHaveLength(150);
    // The second drain puts the third fetch before the rest of the second.
    expect(offsets.slice(70, 72)).toEqual([100, 101]);
  });

  it('should keep offset order with the maxRecords the adapter sets', () => {
    const { maxRecords } = resolveKafkatsClientOptions({
      brokers: ['127.0.0.1:9092'],
      groupId: 'g',
    }).consumer;
    expect(drainedOffsets(maxRecords!)).toEqual(Array.from({ length: 150 }, (_, i) => i));
  });
});
