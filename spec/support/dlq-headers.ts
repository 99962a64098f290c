import { DLQ_HEADERS } from '../../lib/errorhandler/dlq-headers';
import type { Headers } from '../../lib/record/stream-record';

/** The DLQ headers of a dead-lettered record, as text, keyed by their DLQ_HEADERS name. */
export const dlqHeaders = (
  headers: Headers | undefined,
): Record<keyof typeof DLQ_HEADERS, string | undefined> =>
  Object.fromEntries(
    Object.entries(DLQ_HEADERS).map(([name, header]) => [name, headers?.[header]?.toString()]),
  ) as Record<keyof typeof DLQ_HEADERS, string | undefined>;
