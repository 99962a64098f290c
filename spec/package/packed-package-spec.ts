import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ensureBuilt } from './support/ensure-built';
import { compile, type Compiled, freshProject, type ProjectKind } from './support/fresh-project';
import {
  QUICK_START_OUTPUT,
  QUICK_START_READY,
  readmeQuickStart,
} from './support/readme-quick-start';
import { runUntilReady } from './support/run-until-ready';

const root = path.join(__dirname, '..', '..');

/**
 * The projects a user may start from. Two check the package's declarations too (skipLibCheck
 * off; TypeScript's own lib files aside): its CommonJS ones, and its ESM ones under the options
 * `tsc --init` (TypeScript 5.9) sets.
 */
const KINDS: readonly ProjectKind[] = [
  {
    name: 'CommonJS, node10',
    type: 'commonjs',
    compilerOptions: {
      module: 'commonjs',
      moduleResolution: 'node10',
      skipLibCheck: false,
      skipDefaultLibCheck: true,
    },
  },
  {
    name: 'CommonJS, node16',
    type: 'commonjs',
    compilerOptions: { module: 'node16', moduleResolution: 'node16', skipLibCheck: true },
  },
  {
    name: 'ESM, nodenext',
    type: 'module',
    compilerOptions: {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      skipLibCheck: false,
      skipDefaultLibCheck: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      moduleDetection: 'force',
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noUncheckedSideEffectImports: true,
    },
  },
  {
    name: 'ESM, bundler',
    type: 'module',
    compilerOptions: {
      module: 'esnext',
      moduleResolution: 'bundler',
      skipLibCheck: true,
      noEmit: true,
    },
  },
];

/** The projects whose compiled quick start is run. */
const RUN = KINDS.filter(({ name }) => name === 'CommonJS, node10' || name === 'ESM, nodenext');

/** A user's file on the subpath entry points: values and types from each, checked as typed. */
const SUBPATHS = `import { Serdes, StreamsBuilder, to, type KafkaClient } from 'rx-kstreams';
import { ConsumerCrashedError, kafkajsClient, type KafkajsClientOptions } from 'rx-kstreams/kafkajs';
import { testTopology, TopologyTestError, type TopologyTestKit } from 'rx-kstreams/marbles';

const options: KafkajsClientOptions = { brokers: ['localhost:9092'], groupId: 'orders' };
export const client = (): KafkaClient => kafkajsClient(options);
// @ts-expect-error a client needs a groupId (so the types are the package's, not any)
export const withoutGroup = (): KafkaClient => kafkajsClient({ brokers: ['localhost:9092'] });

export const copyTopics = (): void => {
  const builder = new StreamsBuilder();
  builder.stream('in', { value: Serdes.string() }).pipe(to('out', { value: Serdes.string() }));
  testTopology(builder.build(), ({ input, expectOutput }: TopologyTestKit) => {
    input('in', '-a|', { a: { value: 'x' } });
    expectOutput('out', '-a|', { a: { key: null, value: 'x' } });
  });
};
type ErrorClass = new (...args: never[]) => Error;
export const errors: readonly ErrorClass[] = [ConsumerCrashedError, TopologyTestError];
`;

/** Packs the package as `npm publish` would, into `dir`; the tarball's path. */
const pack = (dir: string): string => {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
    }),
  ) as Array<{ filename: string }>;
  return path.join(dir, packed!.filename);
};

describe('the packed package in a fresh project', () => {
  let work: string;
  let tarball: string;
  const compiled = new Map<string, Compiled>();
  const dirOf = (kind: ProjectKind): string => path.join(work, kind.name.replace(/\W+/g, '-'));

  beforeAll(async () => {
    await ensureBuilt();
    work = mkdtempSync(path.join(tmpdir(), 'rx-kstreams-packed-'));
    tarball = pack(work);
    const files = { 'index.ts': readmeQuickStart(), 'subpaths.ts': SUBPATHS };
    // One pack, and the projects compiled side by side.
    await Promise.all(
      KINDS.map(async (kind) =>
        compiled.set(kind.name, await compile(freshProject(dirOf(kind), kind, tarball, files))),
      ),
    );
  }, 240_000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it.each(KINDS)('should compile the README quick start and both subpaths ($name)', (kind) => {
    expect(compiled.get(kind.name)).toEqual({ status: 0, output: '' });
  });

  it.each(RUN)(
    'should run the quick start ($name): the taxed order printed, then a clean stop on Ctrl-C',
    async (kind) => {
      const run = await runUntilReady([path.join('out', 'index.js')], {
        cwd: dirOf(kind),
        ready: QUICK_START_READY,
      });
      expect(run).toEqual({ code: 0, signal: null, stdout: QUICK_START_OUTPUT, stderr: '' });
    },
    40_000,
  );

  it('should ship every docs/ page the README names', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    const named = [
      ...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/docs\/[\w-]+\.md/g),
    ];
    expect(named.length).toBeGreaterThan(0);
    const missing = named
      .map(([page]) => page)
      .filter((page) => !listed.includes(`package/${page}`));
    expect(missing).toEqual([]);
  });
});
