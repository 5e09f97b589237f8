// Benchmark: our streaming redactor vs secretlint's recommended preset on a 50 MB deploy log.
// Run: npx tsx bench/redact.ts [MB]
import { generateCorpus, type Corpus } from './corpus/log.js';
import { scoreOutput, scoreRanges, type Quality } from './corpus/quality.js';
import { pathToFileURL } from 'node:url';
import { createRedactor } from '../src/core/redact/index.js';

export { measureRedactorQuality, scoreOutput, scoreRanges, type Quality } from './corpus/quality.js';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function* iterate(xs: string[]): AsyncGenerator<string> {
  yield* xs;
}

const RUNS = 3;
// Known values as a CI job would register them (not the real environment: never read secrets here).
const BENCH_ENV = { DEPLOY_TOKEN: 'dpl-7f3a9c2e41b8d6f0', DB_PASSWORD: 'correct-horse-battery' };
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Our streaming redactor over 64 KB chunks; median of RUNS after a warm-up (JIT, regex tier-up).
 * Timed runs hand the output to a sink that only counts it, as a pipe would; one more run keeps it for scoring. */
async function ours(corpus: Corpus): Promise<{ mbps: number; runs: number[]; quality: Quality }> {
  const input = chunks(corpus.text, CHUNK);
  const once = async (xs: string[], keep: boolean): Promise<{ secs: number; out: string }> => {
    const redactor = createRedactor({ env: BENCH_ENV });
    const parts: string[] = [];
    let bytes = 0;
    const t0 = performance.now();
    for await (const p of redactor.redactChunks(iterate(xs))) {
      bytes += p.length;
      if (keep) parts.push(p);
    }
    const secs = (performance.now() - t0) / 1000;
    if (bytes === 0) throw new Error('no output');
    return { secs, out: parts.join('') };
  };
  await once(input.slice(0, 32), false);
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push((await once(input, false)).secs);
  return { mbps: corpus.text.length / MB / median(runs), runs, quality: scoreOutput(corpus, (await once(input, true)).out) };
}

/** secretlint over 64 KB chunks cut at line ends; median of RUNS after a warm-up. A run stops
 * after 60 s: if that leaves part of the corpus, the figures are for the slice it covered. */
async function secretlint(corpus: Corpus): Promise<{ mbps: number; runs: number[]; bytes: number; quality: Quality }> {
  const { lintSource } = await import('@secretlint/core');
  const { creator } = await import('@secretlint/secretlint-rule-preset-recommend');
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
  const run = async (upTo: number, ranges: Array<readonly [number, number]>): Promise<{ secs: number; bytes: number }> => {
    const t0 = performance.now();
    let at = 0;
    while (at < Math.min(upTo, corpus.text.length) && performance.now() < t0 + 60_000) {
      let end = corpus.text.indexOf('\n', at + CHUNK);
      end = end < 0 ? corpus.text.length : end + 1;
      const content = corpus.text.slice(at, end);
      const r = await lintSource({ source: { content, filePath: 'deploy.log', contentType: 'text' }, options: { config } });
      for (const m of r.messages) ranges.push([at + m.range[0], at + m.range[1]]);
      at = end;
    }
    return { secs: (performance.now() - t0) / 1000, bytes: at };
  };
  await run(2 * MB, []);
  const runs: Array<{ secs: number; bytes: number }> = [];
  let ranges: Array<readonly [number, number]> = [];
  for (let i = 0; i < RUNS; i++) {
    ranges = [];
    runs.push(await run(corpus.text.length, ranges));
  }
  const bytes = Math.min(...runs.map((r) => r.bytes));
  const mbps = median(runs.map((r) => r.bytes / MB / r.secs));
  return { mbps, runs: runs.map((r) => r.secs), bytes, quality: scoreRanges(corpus, ranges, bytes) };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? 50);
  const t0 = performance.now();
  const corpus = generateCorpus({ bytes: mb * MB, seed: 42 });
  console.log(`corpus: ${(corpus.text.length / MB).toFixed(1)} MB, ${corpus.lines.length} lines, ${corpus.secrets.length} secrets, ${corpus.publics.length} public values (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const a = await ours(corpus);
  const b = await secretlint(corpus);
  const slice = b.bytes < corpus.text.length ? ` (first ${(b.bytes / MB).toFixed(1)} MB: too slow for all)` : '';
  const rows: Array<[string, string, string, string, string]> = [
    ['', 'MB/s', 'recall', 'public changed', 'clean lines changed'],
    [`clawdeploy redactor (stream, median of ${RUNS})`, a.mbps.toFixed(1), pct(a.quality.recall), String(a.quality.publicsChanged), String(a.quality.cleanLinesChanged)],
    [`secretlint preset-recommend (median of ${RUNS})${slice}`, b.mbps.toFixed(1), pct(b.quality.recall), String(b.quality.publicsChanged), '-'],
  ];
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  '));
  console.log(`speed ratio: ${(a.mbps / b.mbps).toFixed(1)}x   (run times, s: ours ${a.runs.map((x) => x.toFixed(2)).join(' ')}; secretlint ${b.runs.map((x) => x.toFixed(2)).join(' ')})`);
  console.log('recall by format (ours / secretlint):');
  for (const [f, q] of Object.entries(a.quality.byFormat)) {
    const s = b.quality.byFormat[f];
    console.log(`  ${f.padEnd(24)} ${q.detected}/${q.total}   ${s ? `${s.detected}/${s.total}` : '-'}`);
  }
  if (a.quality.examples.missed.length) console.log('missed:', a.quality.examples.missed);
  if (a.quality.examples.changed.length) console.log('changed:', a.quality.examples.changed);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
