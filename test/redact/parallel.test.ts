// The streaming filter with worker threads: order, block boundaries, PEM keys across blocks,
// known values in workers, failures, slow streams, and the compiled (dist) worker.
import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRedactFilter, type RedactFilterOptions } from '../../src/core/redact/index.js';
import type { ParallelOptions, ParallelReport } from '../../src/core/redact/parallel.js';
import { defaultWorkerScript } from '../../src/core/redact/pool.js';
import { PEM_LINES, PEM_SECRETS } from '../secrets/cases.js';
import { generateCorpus } from '../../bench/corpus/log.js';
import { scoreOutput } from '../../bench/corpus/quality.js';

const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const GHP = 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const PEM_BODY = PEM_LINES[1]!;

/** Numbered lines, a secret every few, some non-ASCII. */
function logText(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 7 === 0) out.push(`${i} TELEGRAM_BOT_TOKEN=${TG} • sent`);
    else if (i % 11 === 0) out.push(`${i} git clone https://x-access-token:${GHP}@github.com/o/r ✓`);
    else out.push(`${i} building '/nix/store/0bgkw2px8n5hs3zjxdjakap9fsnzwdi9-nodejs-22.12.0.drv'...`);
  }
  return `${out.join('\n')}\n`;
}

/** Chunks of uneven sizes, as a pipe gives them. */
function chunked(text: string | Buffer, sizes = [4093, 65536, 17, 1200]): Buffer[] {
  const b = typeof text === 'string' ? Buffer.from(text) : text;
  const out: Buffer[] = [];
  for (let i = 0, k = 0; i < b.length; k++) {
    const n = sizes[k % sizes.length]!;
    out.push(b.subarray(i, i + n));
    i += n;
  }
  return out;
}

async function filter(input: Readable, opts: RedactFilterOptions): Promise<{ out: string; stats: Awaited<ReturnType<typeof runRedactFilter>> }> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, cb) {
      parts.push(Buffer.from(chunk));
      cb();
    },
  });
  const stats = await runRedactFilter(input, sink, opts);
  return { out: Buffer.concat(parts).toString('utf8'), stats };
}

/** Workers only, from the first byte, in small blocks: every block boundary gets exercised. */
function workersOnly(extra: ParallelOptions = {}): { parallel: ParallelOptions; report: () => ParallelReport } {
  let got: ParallelReport | undefined;
  return {
    parallel: { workers: 2, mainThread: false, threshold: 0, waitReady: true, blockSize: 2048, report: (r) => (got = r), ...extra },
    report: () => got!,
  };
}

describe('parallel redaction (worker threads)', () => {
  it('runs the TypeScript worker through tsx here, and the .js one in the build', () => {
    expect(defaultWorkerScript().url.pathname).toMatch(/worker\.ts$/);
    expect(defaultWorkerScript().tsx).toMatch(/^file:.*tsx.*\.mjs$/);
  });

  it('writes blocks in input order, equal to the in-thread filter', async () => {
    const text = logText(4000);
    const reference = await filter(Readable.from(chunked(text)), { env: {}, parallel: false });
    const w = workersOnly();
    const got = await filter(Readable.from(chunked(text)), { env: {}, parallel: w.parallel });
    expect(w.report().workerBlocks).toBeGreaterThan(20);
    expect(got.out).toBe(reference.out);
    expect(
      got.out
        .split('\n')
        .slice(0, -1)
        .map((l) => Number(l.split(' ')[0])),
    ).toEqual([...Array(4000).keys()]);
    expect(got.out).not.toContain(TG);
    expect(got.out).not.toContain(GHP);
    expect(got.stats).toEqual(reference.stats);
  });

  it('also when this thread takes blocks while the workers are busy', async () => {
    const text = logText(4000);
    const reference = await filter(Readable.from(chunked(text)), { env: {}, parallel: false });
    const w = workersOnly({ workers: 1, mainThread: true, perWorker: 1 });
    const got = await filter(Readable.from(chunked(text)), { env: {}, parallel: w.parallel });
    expect(w.report().workerBlocks + w.report().mainBlocks).toBeGreaterThan(20);
    expect(got.out).toBe(reference.out);
    expect(got.stats).toEqual(reference.stats);
  });

  it.each([5, 17])('keeps recall and public values on the benchmark corpus (seed %i), as the in-thread path', async (seed) => {
    const corpus = generateCorpus({ bytes: 400_000, seed });
    const reference = await filter(Readable.from(chunked(corpus.text)), { env: {}, parallel: false });
    const w = workersOnly({ blockSize: 8192 });
    const got = await filter(Readable.from(chunked(corpus.text)), { env: {}, parallel: w.parallel });
    expect(got.out).toBe(reference.out);
    const q = scoreOutput(corpus, got.out);
    expect(q.recall, q.examples.missed.join('\n')).toBeGreaterThanOrEqual(0.99);
    expect(q.publicsChanged).toBe(0);
    expect(q.cleanLinesChanged, q.examples.changed.join('\n')).toBe(0);
  });

  it('keeps a secret whole when its line straddles a block boundary', async () => {
    // Lines longer than half a block: most of them cross the nominal block size.
    const line = (i: number): string => `${i} ${'x'.repeat(400 + (i % 9) * 150)} TELEGRAM_BOT_TOKEN=${TG} ${'y'.repeat(300 + (i % 5) * 97)}`;
    const text = `${Array.from({ length: 300 }, (_, i) => line(i)).join('\n')}\n`;
    const w = workersOnly({ blockSize: 1500 });
    const got = await filter(Readable.from(chunked(text, [333, 4096, 1]) /* one byte at a time too */), { env: {}, parallel: w.parallel });
    expect(w.report().workerBlocks).toBeGreaterThan(50);
    expect(got.out).not.toContain(TG);
    expect(got.out.match(/\[REDACTED:telegram-bot-token\]/g)).toHaveLength(300);
    expect(got.stats.redactions).toBe(300);
  });

  it('cuts a giant line (no newline) at a separator, never inside a secret', async () => {
    const giant = `${'word '.repeat(30_000)}${GHP} ${'word '.repeat(30_000)}`;
    const w = workersOnly({ blockSize: 4096 });
    const got = await filter(Readable.from(chunked(giant, [1000])), { env: {}, maxLine: 16_384, parallel: w.parallel });
    expect(got.out).not.toContain(GHP);
    expect(got.out).toContain('[REDACTED:github-token]');
    expect(got.out.length).toBe(giant.length - GHP.length + '[REDACTED:github-token]'.length);
  });

  it('redacts a PEM key whose body runs across block boundaries (the block is redone from its real start state)', async () => {
    const key = [PEM_LINES[0]!, ...Array.from({ length: 40 }, () => PEM_BODY), PEM_LINES[2]!, PEM_LINES[3]!];
    const text = `${Array.from({ length: 12 }, (_, i) => [`before ${i} • ok`, ...key, `after ${i} AKIAZ7Q3XK2MPL5VN4RT`].join('\n')).join('\n')}\n`;
    const reference = await filter(Readable.from(chunked(text)), { env: {}, parallel: false });
    const w = workersOnly({ blockSize: 700 });
    const got = await filter(Readable.from(chunked(text)), { env: {}, parallel: w.parallel });
    expect(w.report().redone).toBeGreaterThan(0);
    expect(got.out).toBe(reference.out);
    for (const s of PEM_SECRETS) expect(got.out).not.toContain(s);
    expect(got.out.match(/\[REDACTED:pem-private-key\]/g)).toHaveLength(12 * 41);
    expect(got.out).toContain(PEM_LINES[3]);
    expect(got.stats).toEqual(reference.stats);
  });

  it('masks known values (env and registered, ASCII or not) in the workers', async () => {
    const env = { DEPLOY_TOKEN: 'dpl-7f3a9c2e41b8d6f0', HOME: '/root' };
    const knownValues = [
      { value: 'correct horse battery staple', label: 'db' },
      { value: 'pässwörd-ünïcode-1', label: 'uni' },
    ];
    const lines = Array.from({ length: 2000 }, (_, i) => `${i} login dpl-7f3a9c2e41b8d6f0 with correct horse battery staple or pässwörd-ünïcode-1 in /root`);
    const text = `${lines.join('\n')}\n`;
    const reference = await filter(Readable.from(chunked(text)), { env, knownValues, parallel: false });
    const w = workersOnly();
    const got = await filter(Readable.from(chunked(text)), { env, knownValues, parallel: w.parallel });
    expect(w.report().mainBlocks).toBe(0);
    expect(w.report().workerBlocks).toBeGreaterThan(20);
    expect(got.out).toBe(reference.out);
    expect(got.out).not.toMatch(/dpl-7f3a|correct horse|pässwörd/);
    expect(got.out.split('\n')[5]).toBe('5 login [REDACTED:DEPLOY_TOKEN] with [REDACTED:db] or [REDACTED:uni] in /root');
    expect(got.stats.byRule).toEqual({ DEPLOY_TOKEN: 2000, db: 2000, uni: 2000 });
  });

  it('keeps memory bounded: a slow sink holds the input back', async () => {
    const text = logText(6000);
    let written = 0;
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _e, cb) {
        written += chunk.length;
        setTimeout(cb, 2);
      },
    });
    const w = workersOnly({ maxInFlight: 3 });
    await runRedactFilter(Readable.from(chunked(text)), sink, { env: {}, parallel: w.parallel });
    expect(written).toBeGreaterThan(text.length * 0.9);
    expect(w.report().maxQueued).toBeLessThanOrEqual(3);
  });

  it('lets a slow stream through without waiting for a full block', async () => {
    const wrote: number[] = [];
    let lastYield = 0;
    async function* slow(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 6; i++) {
        yield Buffer.from(`${i} TELEGRAM_BOT_TOKEN=${TG}\n`);
        lastYield = performance.now();
        await new Promise((r) => setTimeout(r, 60));
      }
    }
    const sink = new Writable({
      write(_c: Buffer, _e, cb) {
        wrote.push(performance.now());
        cb();
      },
    });
    const w = workersOnly({ blockSize: 1 << 20, flushMs: 10 });
    await runRedactFilter(Readable.from(slow()), sink, { env: {}, parallel: w.parallel });
    expect(wrote.length).toBeGreaterThan(1);
    expect(wrote[0]!).toBeLessThan(lastYield);
  });

  describe('a failing worker surfaces as one error', () => {
    const failing = (fail: string): ParallelOptions => ({
      ...workersOnly().parallel,
      worker: { url: new URL('./fixtures/failingWorker.mjs', import.meta.url), data: { fail } },
    });
    it.each([
      ['throw', /boom in worker/],
      ['reply', /redaction worker: bad block/],
      ['exit', /redaction worker stopped \(exit code 3\)/],
    ])('%s', async (fail, message) => {
      const input = Readable.from(chunked(logText(3000)));
      const errors: unknown[] = [];
      const onUnhandled = (e: unknown): number => errors.push(e);
      process.on('unhandledRejection', onUnhandled);
      try {
        await expect(filter(input, { env: {}, parallel: failing(fail) })).rejects.toThrow(message);
        await new Promise((r) => setTimeout(r, 50));
        expect(errors).toEqual([]);
        expect(input.destroyed).toBe(true);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });

  it('redacts in this thread when the workers cannot start', async () => {
    const text = logText(3000);
    const reference = await filter(Readable.from(chunked(text)), { env: {}, parallel: false });
    let report: ParallelReport | undefined;
    const parallel: ParallelOptions = {
      ...workersOnly().parallel,
      report: (r) => (report = r),
      worker: { url: new URL('./fixtures/failingWorker.mjs', import.meta.url), data: { fail: 'startup' } },
    };
    const got = await filter(Readable.from(chunked(text)), { env: {}, parallel });
    expect(got.out).toBe(reference.out);
    expect(report!.workerBlocks).toBe(0);
  });

  it('runs the bundled worker (dist/redact-worker.js) the way the built CLI does', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // Inside the package, as an install would be, so the bundle finds clawdeploy's root.
    mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
    const out = mkdtempSync(join(root, 'node_modules/.cache/clawdeploy-redact-build-'));
    try {
      // The real build (the CLI bundle and its worker entry), then a script bundled the same way.
      const build = spawnSync(process.execPath, [join(root, '.ci/build.mjs')], { encoding: 'utf8' });
      expect(build.status, build.stderr).toBe(0);
      const input = join(out, 'in.log');
      writeFileSync(input, logText(20_000));
      const script = `
        import { createReadStream } from 'node:fs';
        import { Writable } from 'node:stream';
        import { runRedactFilter } from ${JSON.stringify(join(root, 'src/core/redact/index.ts'))};
        import { defaultWorkerScript } from ${JSON.stringify(join(root, 'src/core/redact/pool.ts'))};
        let text = '';
        let report;
        const sink = new Writable({ write(c, _e, cb) { text += c; cb(); } });
        const stats = await runRedactFilter(createReadStream(${JSON.stringify(input)}), sink, {
          env: {}, parallel: { workers: 2, mainThread: false, threshold: 0, waitReady: true, blockSize: 65536, report: (r) => (report = r) },
        });
        console.log(JSON.stringify({ worker: defaultWorkerScript().url.pathname, report, stats, leaked: text.includes(${JSON.stringify(TG)}), lines: text.split('\\n').length }));
      `;
      writeFileSync(join(out, 'entry.ts'), script);
      const bundle = spawnSync(
        join(root, 'node_modules/.bin/esbuild'),
        [join(out, 'entry.ts'), '--bundle', '--format=esm', '--platform=node', '--target=node20', `--outfile=${join(out, 'run.mjs')}`, '--log-level=warning'],
        { encoding: 'utf8' },
      );
      expect(bundle.status, bundle.stderr).toBe(0);
      const run = spawnSync(process.execPath, [join(out, 'run.mjs')], { cwd: out, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const r = JSON.parse(run.stdout) as { worker: string; report: ParallelReport; stats: { redactions: number }; leaked: boolean; lines: number };
      expect(r.worker).toBe(join(root, 'dist/redact-worker.js'));
      expect(r.report.workerBlocks).toBeGreaterThan(10);
      expect(r.leaked).toBe(false);
      expect(r.lines).toBe(20_001);
      expect(r.stats.redactions).toBe(Math.ceil(20_000 / 7) + [...Array(20_000).keys()].filter((i) => i % 7 !== 0 && i % 11 === 0).length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
