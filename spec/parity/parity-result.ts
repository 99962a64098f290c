/**
 * What a run of a scenario leaves, in a form that does not depend on how it ran: topic
 * names are the scenario's, timestamps are left out, and records are in an order every way
 * keeps (see {@link normalise}).
 */
import { DLQ_HEADERS, type RawRecord } from 'rx-kstreams';
import {
  type ParityScenario,
  type ScenarioSummary,
  type SeededRecord,
  SOURCE_HEADER,
  type TopicNames,
} from './scenarios';

/** A record a run wrote, decoded as text, with its real topic name. */
export interface WrittenRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

/** A written record, normalised: `source` is the `partition/offset` of the input it came from. */
export interface ParityRecord {
  readonly source: string;
  readonly key: string | null;
  readonly value: string | null;
  /** Every other header, as text; the dead-letter timestamp left out. */
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface ParityResult {
  /** By the scenario's topic name; a topic the scenario does not name keeps its real name. */
  readonly outputs: Readonly<Record<string, readonly ParityRecord[]>>;
  readonly committedOffsets: Readonly<Record<string, Readonly<Record<number, string>>>>;
}

const text = (data: Buffer | null | undefined): string | null =>
  data === null || data === undefined ? null : data.toString('utf8');

/** A record read from a topic (in-memory or real), as a {@link WrittenRecord}. */
export const writtenFromRaw = (record: RawRecord): WrittenRecord => ({
  topic: record.topic,
  key: text(record.key),
  value: text(record.value),
  headers: Object.fromEntries(
    Object.entries(record.headers).map(([name, value]) => [name, text(value) ?? undefined]),
  ),
});

/** An input record as stored, to compare with the scenario's {@link SeededRecord}s. */
export const storedInput = (record: RawRecord): SeededRecord => ({
  partition: record.partition,
  offset: Number(record.offset),
  key: text(record.key),
  value: text(record.value),
  headers: Object.fromEntries(
    Object.entries(record.headers).map(([name, value]) => [name, text(value) ?? '']),
  ),
});

/** Input records by partition, then offset. */
export const byPosition = (records: readonly SeededRecord[]): SeededRecord[] =>
  [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset);

const sourcePartition = (record: ParityRecord): number => Number(record.source.split('/')[0]);

/**
 * Normalises a run: topics by the scenario's names (in the dead letters' headers too),
 * and in each output topic the records of one input partition in the order they were
 * written, input partitions in ascending order. Every output topic has one partition, so
 * that order is what each way keeps: a task writes its records in order, while the order
 * between input partitions depends on timing.
 */
export const normalise = (
  scenario: ParityScenario,
  topics: TopicNames,
  written: readonly WrittenRecord[],
  committed: Readonly<Record<string, Readonly<Record<number, string>>>>,
): ParityResult => {
  const ownName = new Map(Object.entries(topics).map(([own, real]) => [real, own]));
  const nameOf = (topic: string): string => ownName.get(topic) ?? topic;
  // An error message names the real topic; real names are unique, so plain replacing is safe.
  const ownNames = (message: string): string =>
    [...ownName].reduce((m, [real, own]) => m.split(real).join(own), message);
  const outputs: Record<string, ParityRecord[]> = Object.fromEntries(
    scenario.outputs.map((topic) => [topic, []]),
  );
  for (const record of written) {
    const {
      [SOURCE_HEADER]: source,
      [DLQ_HEADERS.errorTimestamp]: _at,
      [DLQ_HEADERS.errorTimestampMs]: _atMs,
      ...others
    } = record.headers;
    const headers: Record<string, string | undefined> = { ...others };
    const original = headers[DLQ_HEADERS.originalTopic];
    if (original !== undefined) headers[DLQ_HEADERS.originalTopic] = nameOf(original);
    const message = headers[DLQ_HEADERS.errorMessage];
    if (message !== undefined) headers[DLQ_HEADERS.errorMessage] = ownNames(message);
    (outputs[nameOf(record.topic)] ??= []).push({
      source: source ?? '?',
      key: record.key,
      value: record.value,
      headers,
    });
  }
  for (const records of Object.values(outputs)) {
    // Stable: keeps each input partition's order.
    records.sort((a, b) => sourcePartition(a) - sourcePartition(b));
  }
  return {
    outputs,
    committedOffsets: Object.fromEntries(
      Object.entries(committed).map(([topic, offsets]) => [nameOf(topic), offsets]),
    ),
  };
};

/**
 * One line per record: source, key=value, then its headers, or for a dead letter why and
 * where it failed (its message left out: the full results are compared too).
 */
const line = ({ source, key, value, headers }: ParityRecord): string => {
  const phase = headers[DLQ_HEADERS.errorPhase];
  const record = `${source} ${key ?? '<null>'}=${value ?? '<null>'}`;
  if (phase === undefined) {
    const named = Object.entries(headers).map(([name, v]) => `${name}=${v ?? '<none>'}`);
    return named.length === 0 ? record : `${record} [${named.join(' ')}]`;
  }
  const origin = [
    headers[DLQ_HEADERS.originalTopic],
    headers[DLQ_HEADERS.originalPartition],
    headers[DLQ_HEADERS.originalOffset],
  ].join('/');
  const attempt = headers[DLQ_HEADERS.errorAttempt];
  return `${record} ${phase}@${headers[DLQ_HEADERS.errorNode]} attempt ${attempt} from ${origin}`;
};

/** The result in the compact form of a scenario's `expected`. */
export const summarise = (result: ParityResult): ScenarioSummary => ({
  outputs: Object.fromEntries(
    Object.entries(result.outputs).map(([topic, records]) => [topic, records.map(line)]),
  ),
  committedOffsets: result.committedOffsets,
});
