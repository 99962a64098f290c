import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt } from './support/ensure-built';

const root = path.join(__dirname, '..', '..');

/**
 * A user's program, run by Node on the built package (imported by its name, which resolves to
 * `dist/` through the package's own `exports`): a topology on the in-memory Kafka, and what an
 * error prints as.
 */
const program = (load: string): string => `
${load}
const kafka = new InMemoryKafka();
kafka.produce('orders', [{ key: 'a', value: '{"n":1}' }, { key: 'b', value: '{' }, { key: 'c', value: '{"n":3}' }]);
const builder = new StreamsBuilder();
builder.stream('orders', { value: Serdes.json() }).pipe(
  mapValues((order) => ({ n: order.n * 10 })),
  to('out', { value: Serdes.json() }),
);
const app = new Application(kafka.client({ groupId: 'g' }), builder.build());
const stop = new AbortController();
const run = app.runWith(stop.signal, singleThreadedRunner({ serdeErrorHandler: withDLQ('orders.dlq') }));
const until = async (done) => { while (!done()) await new Promise((r) => setTimeout(r, 5)); };
until(() => kafka.records('out').length === 2 && kafka.records('orders.dlq').length === 1)
  .then(() => { stop.abort(); return run; })
  .then(() => {
    const error = new SerdeError('bad payload', { topic: 'orders' });
    console.log(JSON.stringify({
      out: kafka.records('out').map((r) => r.value.toString()),
      dlq: kafka.records('orders.dlq').map((r) => r.key.toString()),
      error: String(error),
      inspected: require('node:util').inspect(error).split('\\n')[0],
      kafkajsClient: typeof kafkajsClient,
      testTopology: typeof testTopology,
    }));
  });
`;

const NAMES =
  'Application, InMemoryKafka, mapValues, SerdeError, Serdes, singleThreadedRunner, StreamsBuilder, to, withDLQ';

const run = (args: string[], source: string): unknown =>
  JSON.parse(
    execFileSync(process.execPath, [...args, '-e', source], { cwd: root, encoding: 'utf8' }),
  );

const expected = {
  out: ['{"n":10}', '{"n":30}'],
  dlq: ['b'],
  error: 'SerdeError: bad payload',
  inspected: 'SerdeError: bad payload',
  kafkajsClient: 'function',
  testTopology: 'function',
};

describe('the built package', () => {
  beforeAll(ensureBuilt, 180_000);

  it('should run from ESM, with every entry point, and print errors by their class name', () => {
    const load = `import { ${NAMES} } from 'rx-kstreams';
import { kafkajsClient } from 'rx-kstreams/kafkajs';
import { testTopology } from 'rx-kstreams/marbles';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);`;
    expect(run(['--input-type=module'], program(load))).toEqual(expected);
  });

  it('should run from CommonJS the same way', () => {
    const load = `const { ${NAMES} } = require('rx-kstreams');
const { kafkajsClient } = require('rx-kstreams/kafkajs');
const { testTopology } = require('rx-kstreams/marbles');`;
    expect(run([], program(load))).toEqual(expected);
  });

  it('should ship no source maps that point at sources it does not ship', () => {
    const files = readdirSync(path.join(root, 'dist'), { recursive: true }) as string[];
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });
});
