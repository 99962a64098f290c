import type { LogFields } from '../logger/logger';
import type { ErrorContext } from './error-context';

/** The log fields that locate a failure: where, when, which attempt, and why. */
export const describeError = (ec: ErrorContext): LogFields => ({
  topic: ec.record.topic,
  partition: ec.record.partition,
  offset: ec.record.offset,
  phase: ec.phase,
  node: ec.nodeName,
  attempt: ec.attempt,
  error: ec.error.message,
});
