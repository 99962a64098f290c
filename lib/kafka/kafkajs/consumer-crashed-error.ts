/**
 * The kafkajs consumer crashed (its `CRASH` event): `poll()` rejects with this error so the
 * runner's poll-error backoff applies. With `restart` kafkajs rejoins the group by itself
 * (every partition is revoked, then assigned again); without it the consumer stays down and
 * every later `poll()` rejects.
 *
 * @example
 * try { await consumer.poll({ maxRecords: 100, timeoutMs: 1000 }); }
 * catch (e) { if (e instanceof ConsumerCrashedError && !e.restart) shutdown(); }
 */
export class ConsumerCrashedError extends Error {
  override readonly name = 'ConsumerCrashedError';
  constructor(
    readonly groupId: string,
    readonly restart: boolean,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      `kafkajs consumer of group ${groupId} crashed${restart ? ' (restarting)' : ' (not restarting)'}: ${reason}`,
      options,
    );
  }
}
