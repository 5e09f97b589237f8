#!/usr/bin/env node
// Entry point. `--version` answers before anything is loaded so scripts that probe it stay fast.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}
try {
  // Stack traces of the bundle point into src/ only when asked for (source maps cost start-up time).
  if (process.env.CLAWDEPLOY_DEBUG) process.setSourceMapsEnabled(true);
  await import('../dist/cli.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli.js')) {
    process.stderr.write('clawdeploy: not built yet: run `npm run build` first\n');
    process.exit(2);
  }
  throw e;
}
