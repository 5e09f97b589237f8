#!/usr/bin/env node
// The build, with esbuild, into dist/:
//   cli.cjs            the command line, one CommonJS file. bin/clawdeploy.mjs compiles it with a
//                      V8 code cache per command (Node 20 has no compile cache of its own), so a
//                      command starts without parsing and compiling what it ran last time.
//   ui.js, chunks/     the ink session, ES modules (ink's layout engine uses top-level await,
//                      which CommonJS cannot hold); the CLI imports it only for a terminal session.
//   redact-worker.js   the redaction pool's worker thread.
// One bundle starts ~100 ms faster than tsc's tree of small modules; the code cache saves about as
// much again on a rollback (bench/rollback.ts). Types are checked separately (`tsc --noEmit`).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

// zod's namespace export carries its ~40 message locales (half of zod's size in the bundle); we
// only ever use its default English messages.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]zod[\\/]v4[\\/]/.test(a.importer) ? { path: 'zod-locales', namespace: 'zod-english-only', pluginData: a.resolveDir } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (a) => ({ contents: "export { default as en } from '../locales/en.js';", resolveDir: a.pluginData }));
  },
};

// The CLI reaches the ink session through a real dynamic import of the ESM bundle.
const uiOutside = {
  name: 'ui-outside',
  setup(b) {
    b.onResolve({ filter: /(^|\/)ui\/run\.js$/ }, () => ({ path: './ui.js', external: true }));
  },
};

const common = {
  absWorkingDir: new URL('..', import.meta.url).pathname,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // Native addon; ink's optional devtools hook is never installed.
  external: ['better-sqlite3', 'react-devtools-core'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const cli = await build({
  ...common,
  metafile: Boolean(process.env.CLAWDEPLOY_METAFILE),
  entryPoints: { cli: 'src/cli/main.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // The model SDKs (half the bundle) are required from node_modules when a model is used: a
  // command that asks none does not read them at start (~12 ms less for a rollback).
  external: [...common.external, '@anthropic-ai/sdk', 'openai'],
  plugins: [zodEnglishOnly, uiOutside],
  // Where this file is, for the code that finds clawdeploy's own files (src/core/paths.ts).
  define: { 'import.meta.url': '__clawdeployUrl' },
  banner: { js: "const __clawdeployUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: { ui: 'src/ui/run.tsx', 'redact-worker': 'src/core/redact/worker.ts' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  plugins: [zodEnglishOnly],
  // CommonJS dependencies (commander, yaml…) call require(); ESM output has none of its own.
  banner: { js: "import { createRequire as __clawdeployRequire } from 'node:module'; const require = __clawdeployRequire(import.meta.url);" },
});
if (cli.metafile) writeFileSync(process.env.CLAWDEPLOY_METAFILE, JSON.stringify(cli.metafile));
