import type { RawRecord } from '../record/stream-record';
import type { PollOptions } from './client';

// What both client adapters' consumers check and serialize the same way.

/**
 * Runs a client adapter's polls one at a time, after checking their options: a poll that
 * reports a rebalance must finish before the next one starts, so the listener sees rebalances
 * in order. A bad `maxRecords` or `timeoutMs` rejects with a RangeError naming it.
 *
 * @example
 * private readonly polls = new SerialPolls((options) => this.pollNow(options));
 * poll(options: PollOptions) { return this.polls.poll(options); }
 */
export class SerialPolls {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly pollNow: (options: PollOptions) => Promise<readonly RawRecord[]>) {}

  poll(options: PollOptions): Promise<readonly RawRecord[]> {
    const { maxRecords, timeoutMs } = options;
    if (!Number.isInteger(maxRecords) || maxRecords < 1) {
      return Promise.reject(
        new RangeError(`poll(): maxRecords must be an integer >= 1, got ${maxRecords}`),
      );
    }
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      return Promise.reject(new RangeError(`poll(): timeoutMs must be >= 0, got ${timeoutMs}`));
    }
    const run = this.chain.then(() => this.pollNow(options));
    this.chain = run.catch(() => undefined);
    return run;
  }
}

/**
 * Checks a client adapter's `subscribe()` call: once per consumer, a non-empty array of
 * topic names; an Error or TypeError says what is wrong.
 *
 * @example
 * checkSubscription(['orders'], this.listener !== undefined);
 */
export const checkSubscription = (topics: readonly string[], subscribed: boolean): void => {
  if (subscribed) {
    throw new Error('subscribe() was already called on this consumer: create another consumer');
  }
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new TypeError('subscribe() needs a non-empty array of topic names');
  }
  for (const topic of topics) {
    if (typeof topic !== 'string' || topic === '') {
      throw new TypeError(`subscribe(): invalid topic name ${JSON.stringify(topic)}`);
    }
  }
};
