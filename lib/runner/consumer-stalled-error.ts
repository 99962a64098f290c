import type { Stall } from './liveness-watchdog';
import { describeStall } from './describe-stall';

/**
 * The run's consumer (or producer) stalled, and so did every one the liveness watchdog made to
 * replace it, `recreations` in a row: the run rejects with this error rather than hang.
 *
 * @example
 * app.runWith(signal, partitionedRunner()).catch((e) => {
 *   if (e instanceof ConsumerStalledError) alert(`Kafka unreachable: ${e.message}`);
 * });
 */
export class ConsumerStalledError extends Error {
  override readonly name = 'ConsumerStalledError';
  constructor(
    readonly stall: Stall,
    readonly recreations: number,
  ) {
    const client = stall._tag === 'SendsHung' ? 'producer' : 'consumer';
    super(
      `the ${client} stalled again after ${recreations} recreation${recreations === 1 ? '' : 's'} in a row: ` +
        `${describeStall(stall)}. Check that the brokers are reachable and answer; ` +
        'livenessTimeoutMs and maxConsumerRecreations set how long and how often to try',
    );
  }
}
