// Benchmark: our streaming redactor vs secretlint's recommended preset on a 50 MB deploy log.
// Run: npx tsx bench/redact.ts [MB]   (ROUNDS=7 by default; the CLI figure needs `npm run build`)
//
// Side by side in one run, interleaved round by round so that machine noise hits all alike:
//   - `clawdeploy redact FILE > /dev/null`, the real command (process start included);
//   - runRedactFilter in this process (the same code path, without process start): with the
//     command's options (workers only for a large input: none for 50 MB), with
//     workers from the first byte (threshold 0), and with parallel: false (one thread);
//   - secretlint lintSource, recommended preset, over 64 KB chunks cut at line ends.
// Then recall on planted secrets and changes to public values, from runRedactFilter's output.
//
// secretlint runs in a fresh child process each round: lintSource leaves work running on
// libuv's thread pool after it returns (a small fs.promises.readFile takes 0.4 s after one
// 10 MB run, 1 s after two; the idle process keeps using CPU), which would slow whatever runs
// next in the same process (starting a worker) or on the same 2 cores.
import { generateCorpus, type Corpus } from './corpus/log.js';
import { scoreOutput, scoreRanges, type Quality } from './corpus/quality.js';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { runRedactFilter as RunRedactFilter } from '../src/core/redact/index.js';
import type { ParallelOptions, ParallelReport } from '../src/core/redact/parallel.js';
import { median, timeCommand } from './lib.js';

export { measureRedactorQuality, scoreOutput, scoreRanges, type Quality } from './corpus/quality.js';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const ROUNDS = Number(process.env['ROUNDS'] ?? 7);
// Known values as a CI job would register them (not the real environment: never read secrets here).
const BENCH_ENV = { DEPLOY_TOKEN: 'dpl-7f3a9c2e41b8d6f0', DB_PASSWORD: 'correct-horse-battery' };
const ROOT = fileURLToPath(new URL('../', import.meta.url));
// The command rows need the bundle (`npm run build`); in-process rows run src/ (the same code).
const BUILT = existsSync(join(ROOT, 'dist/cli.cjs'));
const { runRedactFilter } = (await import('../src/core/redact/index.js')) as { runRedactFilter: typeof RunRedactFilter };

/** Byte chunks of the corpus, as a file stream gives them. */
function byteChunks(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** runRedactFilter from memory into a sink that counts (as a pipe would take it); seconds. */
async function filterOnce(chunks: Buffer[], parallel: ParallelOptions | false, keep?: Buffer[]): Promise<number> {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      bytes += chunk.length;
      if (keep) keep.push(Buffer.from(chunk));
      cb();
    },
  });
  const t0 = performance.now();
  await runRedactFilter(Readable.from(chunks, { objectMode: false }), sink, { env: BENCH_ENV, parallel });
  const secs = (performance.now() - t0) / 1000;
  if (bytes === 0) throw new Error('no output');
  return secs;
}

/** secretlint over 64 KB chunks cut at line ends. A run stops after 60 s: then the figures are for the slice it covered. */
async function lintRunner(text: string): Promise<(upTo?: number, ranges?: Array<readonly [number, number]>) => Promise<{ secs: number; bytes: number }>> {
  const { lintSource } = await import('@secretlint/core');
  const { creator } = await import('@secretlint/secretlint-rule-preset-recommend');
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  return async (upTo = text.length, ranges) => {
    const t0 = performance.now();
    let at = 0;
    while (at < Math.min(upTo, text.length) && performance.now() < t0 + 60_000) {
      let end = text.indexOf('\n', at + CHUNK);
      end = end < 0 ? text.length : end + 1;
      const content = text.slice(at, end);
      const r = await lintSource({ source: { content, filePath: 'deploy.log', contentType: 'text' }, options: { config } });
      if (ranges) for (const m of r.messages) ranges.push([at + m.range[0], at + m.range[1]]);
      at = end;
    }
    return { secs: (performance.now() - t0) / 1000, bytes: at };
  };
}

interface LintReply {
  secs: number;
  /** Chars of the corpus text covered. */
  bytes: number;
  ranges?: Array<readonly [number, number]>;
}

/** The child side: one warm-up on 2 MB, then one timed run over the file, then exit. */
async function lintChild(file: string, withRanges: boolean): Promise<void> {
  const lint = await lintRunner(readFileSync(file, 'utf8'));
  await lint(2 * MB);
  const ranges: Array<readonly [number, number]> | undefined = withRanges ? [] : undefined;
  const r = await lint(undefined, ranges);
  process.send!({ ...r, ranges } satisfies LintReply, () => process.exit(0));
}

/** One secretlint run in a fresh child process (same tsx loader). */
function lintOnce(file: string, withRanges = false): Promise<LintReply> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--secretlint-child', file, withRanges ? 'ranges' : ''], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let reply: LintReply | undefined;
    child.once('message', (r) => (reply = r as LintReply));
    // Resolve once it is gone, so that nothing of it runs during the next measurement.
    child.once('exit', (code) => (code === 0 && reply ? resolve(reply) : reject(new Error(`secretlint child exited ${code}`))));
  });
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? 50);
  const t0 = performance.now();
  const corpus = generateCorpus({ bytes: mb * MB, seed: 42 });
  const bytes = Buffer.from(corpus.text, 'utf8');
  const size = bytes.length / MB;
  console.log(
    `corpus: ${size.toFixed(1)} MB, ${corpus.lines.length} lines, ${corpus.secrets.length} secrets, ${corpus.publics.length} public values (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s); ` +
      `${availableParallelism()} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-bench-redact-'));
  const file = join(dir, 'deploy.log');
  writeFileSync(file, bytes);
  const cli = join(ROOT, 'bin/clawdeploy.mjs');
  const built = BUILT;
  // The command redacts with the invoking environment's secrets; give it the bench's, not ours.
  const cliEnv = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...BENCH_ENV };
  try {
    const chunks = byteChunks(bytes, CHUNK);
    // Warm-up (JIT, regex tier-up) of the in-process candidates; the command starts cold every time, as it does for users.
    await filterOnce(chunks.slice(0, 64), false);
    await filterOnce(chunks.slice(0, 64), {});

    const runs = { cli: [] as number[], defaults: [] as number[], workers: [] as number[], single: [] as number[], secretlint: [] as number[] };
    let lintChars = corpus.text.length;
    let report: ParallelReport | undefined;
    for (let i = 0; i < ROUNDS; i++) {
      // A pause first: this process's own background work (V8's concurrent GC after the runs
      // below) would otherwise share the 2 cores with the command.
      await new Promise((r) => setTimeout(r, 500));
      if (built) runs.cli.push(timeCommand('node', [cli, 'redact', file], cliEnv) / 1000);
      runs.defaults.push(await filterOnce(chunks, {}));
      runs.workers.push(await filterOnce(chunks, { threshold: 0, report: (r) => (report = r) }));
      runs.single.push(await filterOnce(chunks, false));
      const l = await lintOnce(file);
      runs.secretlint.push(l.secs);
      lintChars = Math.min(lintChars, l.bytes);
    }
    const out: Buffer[] = [];
    await filterOnce(chunks, { threshold: 0 }, out);
    const quality = scoreOutput(corpus, Buffer.concat(out).toString('utf8'));
    const ranges = (await lintOnce(file, true)).ranges!;
    const lintQuality = scoreRanges(corpus, ranges, lintChars);
    const mbps = (secs: number[]): number => size / median(secs);
    const lintMbps = Buffer.byteLength(corpus.text.slice(0, lintChars)) / MB / median(runs.secretlint);
    const slice = lintChars < corpus.text.length ? ` (first ${(lintChars / MB).toFixed(1)} MB: too slow for all)` : '';

    const rows: Array<[string, string, string, string, string, string]> = [['', 'MB/s', 'x secretlint', 'median s', 'recall', 'public changed']];
    if (built) rows.push(['`clawdeploy redact FILE > /dev/null` (process start included)', mbps(runs.cli).toFixed(1), (mbps(runs.cli) / lintMbps).toFixed(1), median(runs.cli).toFixed(3), '', '']);
    rows.push(['runRedactFilter in process, default options', mbps(runs.defaults).toFixed(1), (mbps(runs.defaults) / lintMbps).toFixed(1), median(runs.defaults).toFixed(3), '', '']);
    rows.push([
      'runRedactFilter in process, workers from the start (threshold 0)',
      mbps(runs.workers).toFixed(1),
      (mbps(runs.workers) / lintMbps).toFixed(1),
      median(runs.workers).toFixed(3),
      pct(quality.recall),
      String(quality.publicsChanged),
    ]);
    rows.push(['runRedactFilter in process, one thread (parallel: false)', mbps(runs.single).toFixed(1), (mbps(runs.single) / lintMbps).toFixed(1), median(runs.single).toFixed(3), '', '']);
    rows.push([
      `secretlint preset-recommend lintSource, 64 KB chunks${slice}`,
      lintMbps.toFixed(1),
      '1.0',
      median(runs.secretlint).toFixed(3),
      pct(lintQuality.recall),
      String(lintQuality.publicsChanged),
    ]);
    const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '));
    console.log(built ? 'the command row ran the bundle in dist/ (run `npm run build` after changing src/)' : '(no dist/: run `npm run build` for the command figure)');
    console.log(
      `medians of ${ROUNDS} rounds; clean lines changed: ${quality.cleanLinesChanged} (recall and changes: from the run with workers); blocks in the last run with workers: ${JSON.stringify(report)}`,
    );
    const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(' ');
    console.log(`run times, s: command ${fmt(runs.cli)}; default ${fmt(runs.defaults)}; workers ${fmt(runs.workers)}; one thread ${fmt(runs.single)}; secretlint ${fmt(runs.secretlint)}`);
    console.log('recall by format (ours / secretlint):');
    for (const [f, q] of Object.entries(quality.byFormat)) {
      const s = lintQuality.byFormat[f];
      console.log(`  ${f.padEnd(24)} ${q.detected}/${q.total}   ${s ? `${s.detected}/${s.total}` : '-'}`);
    }
    if (quality.examples.missed.length) console.log('missed:', quality.examples.missed);
    if (quality.examples.changed.length) console.log('changed:', quality.examples.changed);
    // The command's output must be the in-process output (with workers), byte for byte.
    if (built) {
      const cliOut = join(dir, 'out.log');
      const r = timeCommand('sh', ['-c', `node '${cli}' redact '${file}' > '${cliOut}'`], cliEnv);
      const same = readFileSync(cliOut).equals(Buffer.concat(out));
      console.log(`command output ${same ? 'equals' : 'DIFFERS FROM'} the in-process output (${(r / 1000).toFixed(2)} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--secretlint-child') await lintChild(process.argv[3]!, process.argv[4] === 'ranges');
  else await main();
}
