import {
  type KeyValueStore,
  process,
  type Processor,
  type ProcessorContext,
  Serdes,
  Stores,
  StreamsBuilder,
  type Topology,
} from 'rx-kstreams';

/**
 * Counts each key of `input` in the store `counts` and writes the running count to `output`:
 * the word count the state specs run.
 */
export const countingProcessor = (): Processor<string | null, string | null, string, number> => {
  let context: ProcessorContext<string, number>;
  let counts: KeyValueStore<string, number>;
  return {
    init: (c) => {
      context = c;
      counts = c.stateStore<string, number>('counts');
    },
    process: (record) => {
      if (record.key === null) return; // a record without a key counts nowhere
      const count = (counts.get(record.key) ?? 0) + 1;
      counts.put(record.key, count);
      context.forward({ ...record, key: record.key, value: count });
    },
  };
};

export const countTopology = (
  input = 'words',
  output = 'counted',
  options: { readonly logging?: boolean } = {},
): Topology => {
  const builder = new StreamsBuilder();
  builder.addStateStore(
    Stores.keyValueStore('counts', {
      key: Serdes.string(),
      value: Serdes.json<number>(),
      logging: options.logging,
    }),
  );
  builder
    .stream(input, { key: Serdes.string(), value: Serdes.string() })
    .pipe(process(countingProcessor, { name: 'count', stores: ['counts'] }))
    .to(output, { key: Serdes.string(), value: Serdes.json<number>() });
  return builder.build();
};

/** The latest count written for each key of `records` (the output topic's records). */
export const latestCounts = (
  records: readonly { key: Buffer | null; value: Buffer | null }[],
): Record<string, number> => {
  const latest: Record<string, number> = {};
  for (const r of records) {
    if (r.key === null || r.value === null) continue;
    latest[r.key.toString()] = JSON.parse(r.value.toString()) as number;
  }
  return latest;
};
