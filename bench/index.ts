// `npm run bench`: the performance benchmarks of issue #5. Usage: `npm run bench -- --help`.
import { backpressure } from './backpressure';
import { brokerPipeline } from './broker-pipeline';
import type { Benchmark, BenchReport } from './harness/bench-report';
import { skipped } from './harness/bench-report';
import type { BenchContext } from './harness/bench-context';
import { type BenchOptions, parseBenchOptions, USAGE } from './harness/bench-options';
import { probeBroker } from './harness/broker';
import { currentLoad, describeMachine, machine } from './harness/machine';
import { writeReports } from './harness/report-file';
import { renderTable } from './harness/table';
import { verdictResult } from './harness/verdict';
import { hotPath } from './hot-path';
import { ioBound } from './io-bound';
import { latency } from './latency';
import { peerKafkaStreams } from './peer-kafka-streams';
import { telemetry } from './telemetry';
import { keyOrder } from './key-order';
import { wordCount } from './word-count';

const BENCHMARKS: readonly Benchmark[] = [
  hotPath,
  brokerPipeline,
  ioBound,
  backpressure,
  latency,
  peerKafkaStreams,
  telemetry,
  keyOrder,
  wordCount,
];

const printReport = (report: BenchReport): void => {
  if (report.skipped !== undefined) {
    console.log(`  SKIPPED: ${report.skipped}\n`);
    return;
  }
  console.log(`  ${report.setup}\n`);
  for (const table of report.tables) console.log(`${renderTable(table)}\n`);
  if (report.verdicts.length > 0) {
    console.log(
      renderTable({
        headers: ['check', 'measured', 'target', 'result'],
        rows: report.verdicts.map((v) => [v.label, v.value, v.target, verdictResult(v)]),
      }),
    );
    console.log('');
  }
};

const main = async (): Promise<number> => {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(
      process.argv.slice(2),
      process.env,
      BENCHMARKS.map((b) => b.id),
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  if (options.help) {
    console.log(`${USAGE}\n\nbenchmarks: ${BENCHMARKS.map((b) => b.id).join(', ')}`);
    return 0;
  }
  const where = machine();
  const invocation = [
    'npm run bench',
    ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
  ].join(' ');
  console.log(
    `rx-kstreams benchmarks — ${where.date}\n${describeMachine(where)}\nscale ${options.scale}\n`,
  );
  const selected = BENCHMARKS.filter((b) => options.only === undefined || options.only.has(b.id));
  const brokerProblem = selected.some((b) => b.needsBroker)
    ? await probeBroker(options.brokers)
    : undefined;
  if (brokerProblem !== undefined) {
    console.log(
      `No Kafka broker answered at ${options.brokers.join(',')} (${brokerProblem}): the real-broker benchmarks are skipped.\n` +
        'Start one with `npm run kafka:start`, or point KAFKA_BROKERS at a cluster.\n',
    );
  }
  const context: BenchContext = {
    scale: options.scale,
    rounds: (fallback) => options.rounds ?? fallback,
    brokers: options.brokers,
    runCapMs: options.maxRunSeconds * 1000,
    log: (line) => console.log(line),
    select: (contenders) =>
      contenders.filter((c) => options.contenders === undefined || options.contenders.has(c.id)),
    scaled: (n, min = 1) => Math.max(min, Math.round(n * options.scale)),
  };
  const reports: BenchReport[] = [];
  const started = Date.now();
  for (const benchmark of selected) {
    console.log(`== ${benchmark.title} (load ${currentLoad()})`);
    const t0 = Date.now();
    let report: BenchReport;
    if (benchmark.needsBroker && brokerProblem !== undefined) {
      report = skipped(
        benchmark,
        `no Kafka broker answered at ${options.brokers.join(',')} (${brokerProblem}); start one with \`npm run kafka:start\` or set KAFKA_BROKERS`,
      );
    } else {
      report = await benchmark.run(context);
    }
    printReport(report);
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    reports.push(report);
  }
  const verdicts = reports.flatMap((r) => r.verdicts);
  if (verdicts.length > 0) {
    console.log('== Summary');
    console.log(
      renderTable({
        headers: ['check', 'measured', 'target', 'result'],
        rows: verdicts.map((v) => [v.label, v.value, v.target, verdictResult(v)]),
      }),
    );
  }
  console.log(
    `\nall benchmarks: ${((Date.now() - started) / 1000).toFixed(0)} s; load now ${currentLoad()}`,
  );
  if (options.write) {
    writeReports(options.out, reports, where, options.scale, invocation);
    console.log(`results written to ${options.out}`);
  }
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
