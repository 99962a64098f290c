import { defineConfig, type Options } from 'tsup';

const entry = {
  index: 'lib/index.ts',
  kafkajs: 'lib/kafkajs.ts',
  kafkats: 'lib/kafkats.ts',
  marbles: 'marbles/index.ts',
};

const shared: Options = {
  entry,
  tsconfig: 'tsconfig.build.json',
  dts: true,
  // Stack frames point at the dist files the package ships; maps would point at lib/*.ts,
  // which it does not.
  sourcemap: false,
  // Class names survive bundling, so errors print as `SerdeError`, not `_SerdeError`.
  keepNames: true,
  splitting: true,
  target: 'es2022',
  platform: 'node',
  external: ['kafkajs', '@kafkats/client', 'protobufjs', 'lmdb', 'rxjs', 'fp-ts'],
};

export default defineConfig([
  // CJS with splitting goes through rollup (treeshake) rather than tsup's sucrase pass, which
  // rewrites every `?.` and `??` into helper calls that allocate on the hot path.
  { ...shared, format: 'cjs', outDir: 'dist/cjs', clean: true, treeshake: true },
  // The kafkajs fixes load kafkajs internals with require(), which ESM gets from createRequire:
  // Node's require cache is the one an ESM import of kafkajs (CommonJS) fills, so the classes
  // patched are the ones kafkajs builds on.
  {
    ...shared,
    format: 'esm',
    outDir: 'dist/esm',
    clean: true,
    banner: {
      js: "import { createRequire as rxKstreamsCreateRequire } from 'node:module';\nconst require = rxKstreamsCreateRequire(import.meta.url);",
    },
  },
]);
