#!/usr/bin/env node
// The build: one esbuild bundle of the CLI in dist/ (code-split, so each command still loads
// only what it needs) plus the redaction worker. A bundle starts ~100 ms faster than tsc's
// tree of small ES modules: Node 20 has no compile cache, and resolving and reading a few
// hundred files (execa and zod alone are ~150) costs more than parsing one. Types are
// checked separately (`tsc --noEmit`).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

// zod's namespace export carries its ~40 message locales (half of zod's size in the bundle); we
// only ever use its default English messages.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) => (/[\\/]zod[\\/]v4[\\/]/.test(a.importer) ? { path: 'zod-locales', namespace: 'zod-english-only', pluginData: a.resolveDir } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (a) => ({ contents: "export { default as en } from '../locales/en.js';", resolveDir: a.pluginData }));
  },
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  metafile: Boolean(process.env.CLAWDEPLOY_METAFILE),
  absWorkingDir: new URL('..', import.meta.url).pathname,
  entryPoints: { cli: 'src/cli/main.ts', 'redact-worker': 'src/core/redact/worker.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  // Native addon; ink's optional devtools hook is never installed.
  external: ['better-sqlite3', 'react-devtools-core'],
  // CommonJS dependencies (commander, yaml…) call require(); ESM output has none of its own.
  banner: { js: "import { createRequire as __clawdeployRequire } from 'node:module'; const require = __clawdeployRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
  sourcemap: 'linked',
  logLevel: 'warning',
});
if (result.metafile) (await import('node:fs')).writeFileSync(process.env.CLAWDEPLOY_METAFILE, JSON.stringify(result.metafile));
