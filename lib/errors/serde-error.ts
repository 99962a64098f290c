import { describeLocation } from './record-location';
import type { ErrorPhase, PhasedError } from './phase';

/** What a SerdeError knows about where it happened. */
export interface SerdeErrorDetails {
  readonly topic: string;
  readonly partition?: number | undefined;
  readonly offset?: string | undefined;
  /** The source or sink node that ran the serde. */
  readonly nodeName?: string | undefined;
  /** Whether the key or the value failed. */
  readonly target?: 'key' | 'value' | undefined;
  readonly cause?: unknown;
}

/**
 * A payload could not be serialized or deserialized.
 *
 * @example
 * try { Serdes.json().deserialize('orders', Buffer.from('{')); }
 * catch (e) { if (e instanceof SerdeError) console.log(e.topic, e.cause); }
 */
export class SerdeError extends Error implements PhasedError {
  override readonly name = 'SerdeError';
  readonly phase: ErrorPhase = 'serde';
  readonly topic: string;
  readonly partition?: number | undefined;
  readonly offset?: string | undefined;
  readonly nodeName?: string | undefined;
  readonly target?: 'key' | 'value' | undefined;

  constructor(message: string, details: SerdeErrorDetails) {
    super(message, { cause: details.cause });
    this.topic = details.topic;
    this.partition = details.partition;
    this.offset = details.offset;
    this.nodeName = details.nodeName;
    this.target = details.target;
  }

  /** A copy that also names the record's partition and offset and the node that ran the serde. */
  at(where: {
    partition: number;
    offset: string;
    nodeName?: string | undefined;
    target?: 'key' | 'value' | undefined;
  }): SerdeError {
    const located = `${this.message} (${describeLocation({ topic: this.topic, ...where })})`;
    return new SerdeError(located, {
      topic: this.topic,
      partition: where.partition,
      offset: where.offset,
      nodeName: where.nodeName ?? this.nodeName,
      target: where.target ?? this.target,
      cause: this.cause,
    });
  }
}
