import { messageOf } from './message-of';
import type { ErrorPhase, PhasedError } from './phase';

/** Where a production error happened. */
export interface ProductionErrorDetails {
  /** The topic the output was written to. */
  readonly topic: string;
  /** The sink node that wrote it, when there is one. */
  readonly nodeName?: string | undefined;
  readonly cause: unknown;
}

/** The broker did not acknowledge an output record. The client's error is its `cause`. */
export class ProductionError extends Error implements PhasedError {
  override readonly name = 'ProductionError';
  readonly phase: ErrorPhase = 'production';
  readonly topic: string;
  readonly nodeName?: string | undefined;

  constructor(details: ProductionErrorDetails) {
    super(`producing to ${details.topic} failed: ${messageOf(details.cause)}`, {
      cause: details.cause,
    });
    this.topic = details.topic;
    this.nodeName = details.nodeName;
  }
}
