import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { createServer, type IncomingMessage } from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { context, metrics, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import {
  Application,
  ATTR,
  EVENT,
  forEach,
  InMemoryKafka,
  METRIC,
  partitionedRunner,
  Serdes,
  StreamsBuilder,
  TRACEPARENT,
} from 'rx-kstreams';
import { consoleSpans, registerGlobally, startSdk } from '../../examples/observability';
import { eventually } from '../runner/support/scripted-topology';
import { produceOrders, rateService, runExample } from './support/example-orders';

const root = path.join(__dirname, '..', '..');
const doc = readFileSync(path.join(root, 'docs', 'observability.md'), 'utf8');

/** The ```text blocks of the doc: the span trees it draws. */
const textBlocks = [...doc.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1]!.trimEnd());

/** Keeps what it is given, also after shutdown (the SDK's in-memory exporter forgets then). */
class KeptSpans implements SpanExporter {
  readonly spans: ReadableSpan[] = [];
  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    this.spans.push(...spans);
    done({ code: ExportResultCode.SUCCESS });
  }
  async shutdown(): Promise<void> {}
}

/** A metric reader nobody reads: a Prometheus exporter without its HTTP server. */
const unreadMetrics = (): PrometheusExporter =>
  new PrometheusExporter({ preventServerStart: true });

const KIND = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];

/** A span and its descendants as the doc draws them: `name (KIND) [events]`, children by start. */
const drawTree = (spans: readonly ReadableSpan[], top: ReadableSpan): string => {
  const label = (s: ReadableSpan): string => {
    const events = s.events.length > 0 ? ` [${s.events.map((e) => e.name).join(', ')}]` : '';
    return `${s.name} (${KIND[s.kind]})${events}`;
  };
  const lines = [label(top)];
  const walk = (parent: ReadableSpan, indent: string): void => {
    const children = spans
      .filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId)
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    children.forEach((child, i) => {
      const last = i === children.length - 1;
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${label(child)}`);
      walk(child, indent + (last ? '   ' : '│  '));
    });
  };
  walk(top, '');
  return lines.join('\n');
};

const processSpanOf = (spans: readonly ReadableSpan[], key: string): ReadableSpan => {
  const found = spans.find(
    (s) => s.name === 'process orders' && s.attributes[ATTR.kafkaKey] === key,
  );
  if (found === undefined) throw new Error(`no process span for ${key}`);
  return found;
};

/** A port nothing listens on now, on the loopback interface. */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const bodyOf = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });

describe('docs/observability.md', () => {
  afterEach(() => {
    // The example sets the global context manager: nothing global outlives a test.
    context.disable();
    trace.disable();
    metrics.disable();
    propagation.disable();
  });

  it('should draw the span trees the example makes: upstream → process → your span and send → downstream, a DLQ write', async () => {
    const exporter = new KeptSpans();
    const sdk = startSdk(exporter, unreadMetrics());
    // An upstream producer's span, whose context travels in o-big's traceparent.
    const upstream = sdk.tracerProvider
      .getTracer('shop')
      .startSpan('send orders', { kind: SpanKind.PRODUCER }, ROOT_CONTEXT);
    const headers: Record<string, Buffer> = {};
    sdk.propagator.inject(trace.setSpan(ROOT_CONTEXT, upstream), headers, {
      set: (carrier, key, value) => (carrier[key] = Buffer.from(value)),
    });
    upstream.end();
    const kafka = new InMemoryKafka();
    produceOrders(kafka, headers);
    const rates = rateService();

    // A downstream application reading orders.big, traced by the same SDK.
    let audited = false;
    const downstream = async (): Promise<void> => {
      const builder = new StreamsBuilder();
      builder
        .stream('orders.big', { key: Serdes.string(), value: Serdes.json() })
        .pipe(forEach(() => void (audited = true)));
      const app = new Application(kafka.client({ groupId: 'audit' }), builder.build());
      const { tracerProvider, propagator } = sdk;
      const done = app.runWith(
        undefined,
        partitionedRunner({ telemetry: { tracerProvider, propagator } }),
      );
      await eventually(() => audited);
      app.close();
      await done;
    };
    await runExample(kafka, sdk, rates.rateOf, downstream);
    const spans = exporter.spans;

    const top = spans.find((s) => s.spanContext().spanId === upstream.spanContext().spanId)!;
    for (const tree of [
      drawTree(spans, top),
      drawTree(spans, processSpanOf(spans, 'o-small')),
      drawTree(spans, processSpanOf(spans, 'o-zero')),
      drawTree(spans, processSpanOf(spans, 'o-xxx')),
    ]) {
      expect(textBlocks).toContain(tree);
    }
    // Your span stays the active one across the lookup's await.
    const lookup = spans.find(
      (s) =>
        s.name === 'rate lookup' &&
        s.parentSpanContext?.spanId === processSpanOf(spans, 'o-big').spanContext().spanId,
    );
    expect(rates.activeAfterAwait.map((s) => s?.spanContext().spanId)).toContain(
      lookup?.spanContext().spanId,
    );
  });

  it('should serve the metrics to Prometheus under the names the doc gives', async () => {
    const port = await freePort();
    const sdk = startSdk(new KeptSpans(), new PrometheusExporter({ host: '127.0.0.1', port }));
    const kafka = new InMemoryKafka();
    produceOrders(kafka);
    const expected = [
      'messaging_client_consumed_messages_total',
      'messaging_client_sent_messages_total',
      'messaging_client_operation_duration',
      'messaging_process_duration',
      'rx_kstreams_errors_total',
      'rx_kstreams_error_handler_actions_total',
      'rx_kstreams_dlq_writes_total',
      'rx_kstreams_tasks_active',
      'rx_kstreams_records_pending',
      'rx_kstreams_partitions_paused',
      'rx_kstreams_consumer_recreations_total',
    ];
    let exported = new Set<string>();
    let scraped = '';
    await runExample(kafka, sdk, undefined, async () => {
      const scrape = async (): Promise<void> => {
        scraped = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        exported = new Set([...scraped.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!));
      };
      // A counter appears once something is added (the DLQ write: once it is acknowledged).
      for (let tries = 0; tries < 100; tries += 1) {
        await scrape();
        if (expected.every((name) => exported.has(name))) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });

    const documented = [
      ...doc.matchAll(/^\|[^|\n]*\|[^|\n]*\|[^|\n]*\|[^|\n]*\| `([a-z_]+)` \|$/gm),
    ].map((m) => m[1]!);
    for (const name of expected) {
      expect(exported).toContain(name);
      expect(documented).toContain(name);
    }
    expect(documented).toContain('rx_kstreams_retries_total');
    expect(documented).toContain('rx_kstreams_consumer_lag');
    expect(scraped).toMatch(
      /^messaging_client_consumed_messages_total\{[^}]*messaging_destination_name="orders"[^}]*\} 4$/m,
    );
  });

  it('should send the spans to an OTLP/HTTP collector', async () => {
    const received: { url: string | undefined; body: string }[] = [];
    const collector = createServer((request, response) => {
      void bodyOf(request).then((body) => {
        received.push({ url: request.url, body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    const script = path.join('spec', 'docs', 'support', 'send-over-otlp.ts');
    const url = `http://127.0.0.1:${port}/v1/traces`;
    let output = '';
    try {
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, url], { cwd: root });
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('error', reject);
        child.on('close', resolve);
      });
      expect({ code, output }).toEqual({ code: 0, output: 'exported\n' });
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
    expect(received.map((r) => r.url)).toContain('/v1/traces');
    const names = received.flatMap((r) =>
      [...r.body.matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'process orders',
        'rate lookup',
        'send orders.big',
        'send orders.dlq',
      ]),
    );
  }, 30_000);

  it('should print the spans with the console exporter', async () => {
    const dir = jest.spyOn(console, 'dir').mockImplementation(() => undefined);
    try {
      const kafka = new InMemoryKafka();
      produceOrders(kafka);
      await runExample(kafka, startSdk(consoleSpans(), unreadMetrics()));
      const printed = dir.mock.calls.map(([span]) => (span as { name?: unknown }).name);
      expect(printed).toEqual(expect.arrayContaining(['process orders', 'send orders.dlq']));
    } finally {
      dir.mockRestore();
    }
  });

  it('should trace with the providers registered globally when the runner has no telemetry option', async () => {
    const exporter = new KeptSpans();
    const sdk = startSdk(exporter, unreadMetrics());
    registerGlobally(sdk);
    const kafka = new InMemoryKafka();
    const upstream = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    kafka.produce('orders', [{ value: 'x', headers: { [TRACEPARENT]: Buffer.from(upstream) } }]);
    const builder = new StreamsBuilder();
    builder.stream('orders').to('copy');
    const app = new Application(kafka.client({ groupId: 'copy' }), builder.build());
    const done = app.runWith(undefined, partitionedRunner());
    await eventually(() => kafka.records('copy').length === 1);
    app.close();
    await done;
    await sdk.shutdown();
    const send = exporter.spans.find((s) => s.name === 'send copy');
    expect(kafka.records('copy')[0]!.headers[TRACEPARENT]?.toString()).toBe(
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${send?.spanContext().spanId}-01`,
    );
  });

  it('should name every span event, attribute and metric rx-kstreams records', () => {
    const names = [
      ...Object.values(EVENT),
      ...Object.values(ATTR),
      ...Object.values(METRIC).map((m) => m.name),
    ];
    for (const name of names) expect(doc).toContain(`\`${name}\``);
  });
});
