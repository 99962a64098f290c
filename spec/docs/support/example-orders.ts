import { type Span, trace } from '@opentelemetry/api';
import type { InMemoryKafka } from 'rx-kstreams';
import { type Order, runOrders, type Sdk } from '../../../examples/observability';
import { eventually } from '../../runner/support/scripted-topology';

const order = (id: string, total: number, currency = 'EUR'): string =>
  JSON.stringify({ id, total, currency } satisfies Order);

/**
 * o-big goes through the rate lookup to orders.big, o-small to orders.small, o-zero is
 * filtered out, o-xxx (no rate for XXX) is dead-lettered. `upstream` are o-big's headers.
 */
export const produceOrders = (
  kafka: InMemoryKafka,
  upstream: Record<string, Buffer> = {},
): void => {
  kafka.produce('orders', [
    { key: 'o-big', value: order('o-big', 500), headers: upstream },
    { key: 'o-small', value: order('o-small', 50) },
    { key: 'o-zero', value: order('o-zero', 0) },
    { key: 'o-xxx', value: order('o-xxx', 300, 'XXX') },
  ]);
};

/** A rate service that awaits, then notes the span active after its await. */
export const rateService = () => {
  const activeAfterAwait: (Span | undefined)[] = [];
  const rateOf = async (currency: string): Promise<number> => {
    await new Promise((resolve) => setImmediate(resolve));
    activeAfterAwait.push(trace.getActiveSpan());
    if (currency === 'XXX') throw new Error(`no rate for ${currency}`);
    return 1.1;
  };
  return { rateOf, activeAfterAwait };
};

/**
 * Runs the example's application on `kafka` until every order is done, then `meanwhile`,
 * then stops it (which shuts the SDK down: every span exported).
 */
export const runExample = async (
  kafka: InMemoryKafka,
  sdk: Sdk,
  rateOf = rateService().rateOf,
  meanwhile: () => Promise<void> = async () => undefined,
): Promise<void> => {
  const controller = new AbortController();
  const running = runOrders(kafka.client({ groupId: 'orders' }), sdk, rateOf, controller.signal);
  await eventually(
    () =>
      kafka.records('orders.big').length === 1 &&
      kafka.records('orders.small').length === 1 &&
      kafka.records('orders.dlq').length === 1,
  );
  await meanwhile();
  controller.abort();
  await running;
};
