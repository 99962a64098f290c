/**
 * Runs the marble fixtures under Vitest twice: with `globals: true` (a global `expect`) and
 * without (where `expect` is only an import from 'vitest'), importing the kit as the repo's
 * own specs do (`rx-kstreams/marbles` → marbles/index.ts). `vitest-spec.ts` runs it.
 */
import * as path from 'path';
import { defineConfig } from 'vitest/config';

const root = path.join(__dirname, '..', '..', '..');

export default defineConfig({
  // Vitest's cache with the repo's, not in a node_modules/ of its own next to the fixtures.
  cacheDir: path.join(root, 'node_modules', '.vite'),
  resolve: {
    alias: {
      'rx-kstreams/marbles': path.join(root, 'marbles', 'index.ts'),
      'rx-kstreams': path.join(root, 'lib', 'index.ts'),
    },
  },
  test: {
    root: __dirname,
    include: ['*.vitest.ts'],
    projects: [
      { extends: true, test: { name: 'globals', globals: true } },
      { extends: true, test: { name: 'no-globals', globals: false } },
    ],
  },
});
