import type { ConsumerConfig } from 'kafkajs';

/** kafkajs's defaults for the settings {@link revocationTimeoutMs} reads. */
const KAFKAJS_DEFAULTS = {
  rebalanceTimeout: 60_000,
  heartbeatInterval: 3000,
  maxWaitTimeInMs: 5000,
};

/**
 * How long `eachBatch` may hold kafkajs's rejoin while the runner's `onRevoked` runs, in ms.
 *
 * The coordinator waits `rebalanceTimeout` from the start of a rebalance for every member to
 * rejoin; a member that is late is dropped from the group (its commits then fail, and it joins
 * again as a new member, causing another rebalance). The member learns of the rebalance up to a
 * heartbeat interval plus one fetch wait after it began, and the rejoin itself takes a round
 * trip, so the budget is `rebalanceTimeout − heartbeatInterval − maxWaitTimeInMs − margin`,
 * the margin being a tenth of the rebalance timeout (at least 1 s); never below 0 (no wait).
 *
 * @example
 * revocationTimeoutMs({}); // 60000 − 3000 − 5000 − 6000 = 46000
 * revocationTimeoutMs({ heartbeatInterval: 300, maxWaitTimeInMs: 100 }); // 53600
 */
export const revocationTimeoutMs = (
  consumer: Pick<ConsumerConfig, 'rebalanceTimeout' | 'heartbeatInterval' | 'maxWaitTimeInMs'>,
): number => {
  const rebalanceTimeout = consumer.rebalanceTimeout ?? KAFKAJS_DEFAULTS.rebalanceTimeout;
  const heartbeatInterval = consumer.heartbeatInterval ?? KAFKAJS_DEFAULTS.heartbeatInterval;
  const maxWait = consumer.maxWaitTimeInMs ?? KAFKAJS_DEFAULTS.maxWaitTimeInMs;
  const margin = Math.max(1000, Math.round(rebalanceTimeout / 10));
  return Math.max(0, rebalanceTimeout - heartbeatInterval - maxWait - margin);
};
