import type { Ordering } from 'rx-kstreams';

/** What one chaos app process runs (passed as JSON in CHAOS_APP). */
export interface ChaosAppSettings {
  /** Shown in logs and written into every output (`by`). */
  readonly name: string;
  readonly brokers: readonly string[];
  readonly groupId: string;
  readonly input: string;
  readonly output: string;
  readonly runner: 'single' | 'partitioned';
  /** `copy`: every record out; `bad-records`: also dead-letters malformed and failing ones; `hang`: records marked `hang` never finish. */
  /**
   * `count`: each output also carries the key's running count, kept in a state store;
   * `group-count`: the same through the DSL, `groupBy` the key (a repartition topic) then
   * `aggregate` into the store `counts`.
   */
  readonly mode: 'copy' | 'bad-records' | 'hang' | 'count' | 'group-count';
  /** Dead-letter topic (bad-records mode). */
  readonly dlq?: string;
  /** Asynchronous work per record, in ms. */
  readonly processMs: number;
  /** Up to this much more work per record, at random: records then finish out of order. */
  readonly processJitterMs?: number;
  /** The partitioned runner's `ordering` (default: the runner's); the single one has none. */
  readonly ordering?: Ordering;
  /** The partitioned runner's `maxConcurrency`, with `ordering` 'key' or 'unordered'. */
  readonly maxConcurrency?: number;
  /** The runner's drain bounds, in ms (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  /** The runner's liveness bound, in ms (default: the runner's). */
  readonly livenessTimeoutMs?: number;
  /** The consumer's session timeout, in ms (default: the client's, 30 s for both). */
  readonly sessionTimeoutMs?: number;
  /** Print info log lines too. */
  readonly logInfo?: boolean;
}

/** The value of every input record: its key, its number within the key, and `key:seq`. */
export interface SequencedValue {
  readonly key: string;
  readonly seq: number;
  readonly id: string;
  readonly fail?: boolean;
  readonly hang?: boolean;
  readonly by?: string;
  /** In `count` mode: how many records of the key the app has counted, this one included. */
  readonly count?: number;
}
