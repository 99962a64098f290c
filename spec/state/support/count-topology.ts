import { countWords } from '../../../examples/state';
import { process, Serdes, Stores, StreamsBuilder, type Topology } from 'rx-kstreams';

/** Counts each key in the store `counts`, forwarding the running count: the docs' word count. */
export const countingProcessor = countWords;

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
