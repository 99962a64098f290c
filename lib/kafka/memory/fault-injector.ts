import { ConfigError } from '../../errors/config-error';

interface FaultRule {
  remaining: number;
  readonly error: Error;
  readonly topic: string | undefined;
}

/**
 * Counted faults of one kind: each matching call takes one from the oldest rule that
 * applies to it. Rules without a topic apply to every topic.
 *
 * @example
 * const faults = new FaultInjector();
 * faults.add(2, new Error('down'));
 * faults.take('orders'); // Error('down'), then once more, then undefined
 */
export class FaultInjector {
  private rules: FaultRule[] = [];

  add(count: number, error: Error, topic?: string): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new ConfigError('count', `must be an integer >= 0, got ${String(count)}`);
    }
    if (count > 0) this.rules.push({ remaining: count, error, topic });
  }

  /** The error for this call, if a fault is pending for it. */
  take(topic?: string): Error | undefined {
    const rule = this.rules.find((r) => r.topic === undefined || r.topic === topic);
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.error;
  }

  clear(): void {
    this.rules = [];
  }
}
