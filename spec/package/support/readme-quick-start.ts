import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');

/** The ```ts block of README.md's "Quick start" section, as written. */
export const readmeQuickStart = (): string => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Quick start\n'));
  const block = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (block === undefined) throw new Error('README.md has no ```ts block under "## Quick start"');
  return block;
};

/** What the quick start prints when it is run and then stopped with Ctrl-C. */
export const QUICK_START_OUTPUT = [
  'running; Ctrl-C to stop',
  "taxed c-1 { id: 'o-1', amount: 10, status: 'new', amountWithTax: 12 }",
  'stopped',
  '',
].join('\n');

/** The quick start has done its work: the taxed order is out. */
export const QUICK_START_READY = /^taxed /m;
