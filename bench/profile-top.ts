// Top self-time functions of a V8 CPU profile (`node --cpu-prof`), by function and by file.
//
//   npx tsx bench/profile-top.ts <file.cpuprofile> [count]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const where = (url: string): string => {
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) return path.slice(nm + 'node_modules/'.length);
  return path.startsWith('/') ? relative(process.cwd(), path) : path || '(native)';
};

const top = (totals: Map<string, number>, all: number, count: number): string[] =>
  [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, us]) =>
        `${((us / all) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );

const main = (): void => {
  const [file, countArg] = process.argv.slice(2);
  if (file === undefined)
    throw new Error('usage: tsx bench/profile-top.ts <file.cpuprofile> [count]');
  const count = Number(countArg ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = where(url);
    const name = `${functionName || '(anonymous)'}  ${file}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    all += us;
  });
  console.log(`${file}: ${(all / 1000).toFixed(0)} ms sampled\n\nself time by function:`);
  console.log(top(byFunction, all, count).join('\n'));
  console.log('\nself time by file:');
  console.log(top(byFile, all, Math.min(count, 15)).join('\n'));
};

main();
