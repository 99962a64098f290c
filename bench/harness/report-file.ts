import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchReport } from './bench-report';
import { describeMachine, type Machine } from './machine';
import { markdownTable } from './table';
import { verdictResult } from './verdict';

const begin = (id: string): string => `<!-- bench:${id}:begin -->`;
const end = (id: string): string => `<!-- bench:${id}:end -->`;
const HISTORY = '<!-- bench:history -->';

const TEMPLATE = `# Performance

Written by \`npm run bench\` (bench/): each benchmark replaces its own section below.

## Results

${HISTORY}
`;

/** The markdown of one benchmark's section, with where and when it ran. */
export const reportSection = (
  report: BenchReport,
  where: Machine,
  scale: number,
  invocation: string,
): string => {
  const lines = [
    begin(report.id),
    `### ${report.title}`,
    '',
    `*Run ${where.date} with \`${invocation}\` (scale ${scale}) on ${describeMachine(where)}.*`,
    '',
  ];
  if (report.skipped !== undefined) {
    lines.push(`Skipped: ${report.skipped}`, '');
  } else {
    lines.push(report.setup, '');
    for (const table of report.tables) lines.push(markdownTable(table), '');
    if (report.verdicts.length > 0) {
      lines.push(
        markdownTable({
          headers: ['check', 'measured', 'target', 'result'],
          rows: report.verdicts.map((v) => [v.label, v.value, v.target, verdictResult(v)]),
        }),
        '',
      );
    }
    for (const note of report.notes) lines.push(`- ${note}`);
    if (report.notes.length > 0) lines.push('');
  }
  lines.push(end(report.id));
  return lines.join('\n');
};

/**
 * Replaces each reported benchmark's section of the document (inserting it before the
 * history when it is new) and adds one history line for the invocation.
 *
 * @example
 * writeReports('docs/performance.md', reports, machine(), 1, 'npm run bench');
 */
export const writeReports = (
  path: string,
  reports: readonly BenchReport[],
  where: Machine,
  scale: number,
  invocation: string,
): void => {
  let doc = existsSync(path) ? readFileSync(path, 'utf8') : TEMPLATE;
  if (!doc.includes(HISTORY)) doc = `${doc.trimEnd()}\n\n${HISTORY}\n`;
  for (const report of reports) {
    const section = reportSection(report, where, scale, invocation);
    const from = doc.indexOf(begin(report.id));
    const to = doc.indexOf(end(report.id));
    if (from >= 0 && to > from) {
      doc = doc.slice(0, from) + section + doc.slice(to + end(report.id).length);
    } else {
      const at = doc.indexOf(HISTORY);
      doc = `${doc.slice(0, at)}${section}\n\n${doc.slice(at)}`;
    }
  }
  const verdicts = reports.flatMap((r) =>
    r.skipped !== undefined
      ? [`${r.id}: skipped`]
      : r.verdicts.map((v) => `${v.label} ${v.value}${v.pass === false ? ' (FAIL)' : ''}`),
  );
  const line = `| ${where.date} | ${scale} | ${where.cores} × ${where.cpu}, Node ${where.node} | ${where.load[0].toFixed(2)} | ${verdicts.join('; ')} |`;
  const historyHeader =
    '## History\n\n| date | scale | machine | load | figures |\n| --- | --- | --- | --- | --- |';
  const at = doc.indexOf(HISTORY) + HISTORY.length;
  const after = doc.slice(at);
  doc = after.includes(historyHeader)
    ? `${doc.slice(0, at)}${after.trimEnd()}\n${line}\n`
    : `${doc.slice(0, at)}\n\n${historyHeader}\n${line}\n${after.trimStart()}`;
  writeFileSync(path, doc);
};
