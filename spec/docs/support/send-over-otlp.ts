// Runs the example's application with its spans sent over OTLP/HTTP to the URL given as the
// first argument, then exits. A program of its own because under Jest the OTLP exporter
// cannot load node's http module (it imports it dynamically).
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { InMemoryKafka } from 'rx-kstreams';
import { otlpSpans, startSdk } from '../../../examples/observability';
import { produceOrders, runExample } from './example-orders';

const main = async (): Promise<void> => {
  const url = process.argv[2];
  if (url === undefined) throw new Error('usage: send-over-otlp.ts <collector url>');
  const kafka = new InMemoryKafka();
  produceOrders(kafka);
  const sdk = startSdk(otlpSpans(url), new PrometheusExporter({ preventServerStart: true }));
  await runExample(kafka, sdk);
  console.log('exported');
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
