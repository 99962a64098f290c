/**
 * Which operation a fault was injected into.
 *
 * @example
 * if (error instanceof InjectedFaultError && error.fault === 'poll') ...
 */
export type FaultKind = 'poll' | 'produce' | 'commit';

/**
 * The default error of {@link InMemoryKafka}'s fault injection. It looks like a retriable
 * broker error (`retriable: true`, as kafkajs errors carry) and says where it came from.
 *
 * @example
 * kafka.injectPollErrors(1);
 * await consumer.poll({ maxRecords: 10, timeoutMs: 0 }); // rejects with an InjectedFaultError
 */
export class InjectedFaultError extends Error {
  override readonly name = 'InjectedFaultError';
  readonly retriable = true;
  constructor(readonly fault: FaultKind) {
    super(`injected ${fault} error (InMemoryKafka.inject${capitalize(fault)}Errors)`);
  }
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
