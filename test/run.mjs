#!/usr/bin/env node
// The README's test command: checks the formatting (Prettier, pinned), type-checks src, test and
// bench, builds, runs vitest, and ends with the plain
// line "N passed, N failed" that CI reads (it does not read vitest's own summary).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, existsSync } from 'node:fs';

const report = '.vitest-report.json';
const step = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

let failedExtra = 0;
for (const [name, cmd, args] of [
  ['format check (fix with: npm run format)', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['build', 'node', ['.ci/build.mjs']],
]) {
  if (step(cmd, args) !== 0) {
    console.error(`${name} failed`);
    failedExtra += 1;
  }
}

rmSync(report, { force: true });
const extra = process.argv.slice(2);
const status = step('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);

let passed = 0;
let failed = failedExtra;
let skipped = 0;
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed = r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + filesFailedWithoutFailedTests(r);
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(status !== 0 || failed > 0 ? 1 : 0);

// A file that fails to load (or in a hook) has no failed test of its own: count it once.
function filesFailedWithoutFailedTests(r) {
  return (r.testResults ?? []).filter((s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed')).length;
}
