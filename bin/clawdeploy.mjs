#!/usr/bin/env node
// Entry point. `--version` answers before anything is loaded so scripts that probe it stay fast.
// The CLI itself (dist/cli.cjs, one CommonJS bundle) is compiled with a V8 code cache, one per
// command, written after the first run of that command: Node 20 has no compile cache, and in an
// incident the seconds before `rollback` switches count. The cache lives in dist/.v8cache (the
// build wipes it), its name holds V8's version and the bundle's size and time, and V8 checks it
// again; a cache that cannot be read or written only costs time.
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
  process.exit(0);
}

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const filename = join(dist, 'cli.cjs');
if (!existsSync(filename)) {
  process.stderr.write('clawdeploy: not built yet: run `npm run build` first\n');
  process.exit(2);
}
// Stack traces of the bundle point into src/ only when asked for (source maps cost start-up time).
if (process.env.CLAWDEPLOY_DEBUG) process.setSourceMapsEnabled(true);

const source = readFileSync(filename, 'utf8');
const command = args.find((a) => !a.startsWith('-')) ?? 'main';
const bundle = statSync(filename);
const cacheFile = join(dist, '.v8cache', `${/^[a-z-]{1,20}$/.test(command) ? command : 'other'}-${process.versions.v8}-${bundle.size}-${Math.round(bundle.mtimeMs)}.cache`);
const useCache = !process.env.CLAWDEPLOY_NO_CACHE;
let cachedData;
try {
  if (useCache && existsSync(cacheFile)) cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
  filename,
  cachedData,
  // import() inside the bundle (the ink session) goes through Node's own loader.
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (process.env.CLAWDEPLOY_TIMING) process.stderr.write(`[timing] code cache: ${!useCache ? 'off' : !cachedData ? 'none yet' : script.cachedDataRejected ? 'rejected' : 'used'}\n`);
if (useCache && (!cachedData || script.cachedDataRejected)) {
  // At exit: the cache then holds every function this command compiled, not just the top level.
  process.once('exit', () => {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // read-only install: no cache
    }
  });
}
// The bundle's import() of the ink session goes through this real ES module: a script restored
// from a code cache has no dynamic import callback of its own (src/cli/loadUi.ts).
globalThis.__clawdeployImport = (url) => import(url);
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(filename), module, filename, dist);
