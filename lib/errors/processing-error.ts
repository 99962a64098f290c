import { messageOf } from './message-of';
import { describeLocation } from './record-location';
import type { ErrorPhase, PhasedError } from './phase';

/** Where a processing error happened. */
export interface ProcessingErrorDetails {
  readonly nodeName: string;
  readonly topic?: string | undefined;
  readonly partition?: number | undefined;
  readonly offset?: string | undefined;
  readonly cause: unknown;
}

/**
 * A user callback (filter, map, process, ...) threw or rejected.
 * The original error is its `cause`.
 */
export class ProcessingError extends Error implements PhasedError {
  override readonly name = 'ProcessingError';
  readonly phase: ErrorPhase = 'processing';
  readonly nodeName: string;
  readonly topic?: string | undefined;
  readonly partition?: number | undefined;
  readonly offset?: string | undefined;

  constructor(details: ProcessingErrorDetails) {
    const { topic, partition, offset } = details;
    const where =
      topic === undefined || partition === undefined || offset === undefined
        ? ''
        : ` (${describeLocation({ topic, partition, offset })})`;
    super(`node ${details.nodeName} failed: ${messageOf(details.cause)}${where}`, {
      cause: details.cause,
    });
    this.nodeName = details.nodeName;
    this.topic = details.topic;
    this.partition = details.partition;
    this.offset = details.offset;
  }
}
