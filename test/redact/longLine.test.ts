// A line with no newline for more than maxLine (1 MiB by default) is redacted in pieces; the
// pieces must give exactly what redacting the whole line gives. Secrets sit everywhere on
// these lines, so whatever the chunking, a cut lands near (or used to land in) one.
import { describe, expect, it, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { createRedactor, runRedactFilter, type ParallelOptions } from '../../src/core/redact/index.js';
import { cleanupFixtures, tempDir } from '../helpers/fixtures.js';

afterAll(cleanupFixtures);

const BIN = join(import.meta.dirname, '../../bin/clawdeploy.mjs');
const REGISTERED = 'registered-value-with spaces-42';
const env = { DEPLOY_PASS: REGISTERED };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const pick = (r: () => number, chars: string, n: number) => Array.from({ length: n }, () => chars[Math.floor(r() * chars.length)]).join('');
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** One giant line: JSON-ish records with spaces and commas, or (`dense`) a query string with neither. */
function giantLine(bytes: number, seed: number, dense: boolean): string {
  const r = rng(seed);
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const hex = pick(r, '0123456789abcdef', 48);
    const pw = `P${pick(r, B64, 10)}w0`;
    const tg = `${100000000 + Math.floor(r() * 899999999)}:A${pick(r, B64, 34)}`;
    const ant = `sk-ant-api03-${pick(r, B64, 40)}`;
    const p = dense
      ? `a${i}=${pick(r, B64, Math.floor(r() * 40))}&token=${hex}&password=${pw}&bot=${tg}&key=${ant}&n=${i}&`
      : `{"user":"u${i}","password":"correct horse ${pick(r, B64, 6)} battery","note":"${pick(r, B64, Math.floor(r() * 60))}"},` +
        `token = ${hex}, TELEGRAM_BOT_TOKEN=${tg} x-api-key: ${ant} pass ${REGISTERED} ok,`;
    parts.push(p);
    n += p.length;
  }
  return parts.join('');
}

async function* chunksOf(text: string, sizes: number[]): AsyncGenerator<string> {
  for (let i = 0, k = 0; i < text.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield text.slice(i, i + n);
    i += n;
  }
}

async function viaStrings(text: string, sizes: number[], maxLine?: number): Promise<string> {
  let out = '';
  for await (const s of createRedactor({ env, ...(maxLine ? { maxLine } : {}) }).redactChunks(chunksOf(text, sizes))) out += s;
  return out;
}

async function viaBytes(text: string, chunk: number, parallel: ParallelOptions | false, maxLine?: number): Promise<string> {
  const input = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) chunks.push(input.subarray(i, i + chunk));
  const out: Buffer[] = [];
  await runRedactFilter(
    Readable.from(chunks),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(Buffer.from(c));
        cb();
      },
    }),
    { env, parallel, ...(maxLine ? { maxLine } : {}) },
  );
  return Buffer.concat(out).toString();
}

describe.each([
  ['with spaces and commas', false],
  ['with no separator at all', true],
])('a line over 1 MiB %s', (_name, dense) => {
  const line = `${giantLine(2.5 * 2 ** 20, dense ? 2 : 1, dense)}\nshort line\n`;
  const expected = createRedactor({ env, maxLine: 1 << 30 }).redact(line);

  it('the whole-line redaction leaves nothing secret-shaped (the reference is right)', () => {
    expect(expected).not.toMatch(/sk-ant-api03-|[0-9]{9}:A[A-Za-z0-9]{20}|[0-9a-f]{48}|correct horse|registered-value/);
  });

  it.each([[[65536]], [[1000, 70_001, 33, 262_144]]])('string path, chunks %j: the same as redacting it whole', async (sizes) => {
    expect(await viaStrings(line, sizes)).toBe(expected);
  });

  it('byte path in this thread: the same', async () => {
    expect(await viaBytes(line, 65536, false)).toBe(expected);
  });

  it('byte path with workers: the same', async () => {
    expect(await viaBytes(line, 65536, { threshold: 0, workers: 1, blockSize: 65536 })).toBe(expected);
  });

  it('many cuts (maxLine 16 KiB), both paths: the same', async () => {
    expect(await viaStrings(line, [4093], 16_384)).toBe(expected);
    expect(await viaBytes(line, 4093, false, 16_384)).toBe(expected);
  });
});

describe('long-line cuts', () => {
  it('a secret longer than the cut range is held until it ends, then redacted whole', async () => {
    const value = 'Q'.repeat(100) + 'x9'.repeat(50_000); // 100 KB under PASSWORD=, no separator
    const line = `start PASSWORD=${value} end\n`;
    const expected = 'start PASSWORD=[REDACTED:secret-assignment] end\n';
    expect(createRedactor().redact(line)).toBe(expected);
    expect(await viaStrings(line, [10_000], 65_536)).toBe(expected);
    expect(await viaBytes(line, 10_000, false, 65_536)).toBe(expected);
  });

  it('a secret longer than a line may be held (2 × maxLine) is cut anyway, and the rest of its run dropped', async () => {
    const value = 'x9Q'.repeat(400_000); // 1.2 MB, maxLine 64 KiB
    const line = `start PASSWORD=${value} end\nnext\n`;
    const expected = 'start PASSWORD=[REDACTED:secret-assignment] end\nnext\n';
    expect(await viaStrings(line, [10_000], 65_536)).toBe(expected);
    expect(await viaBytes(line, 10_000, false, 65_536)).toBe(expected);
    expect(await viaBytes(line, 10_000, { threshold: 0, workers: 1, blockSize: 65_536 }, 65_536)).toBe(expected);
  });

  it('keeps a character whole when it has to cut in a run of non-ASCII text', async () => {
    const line = `${'ü✓😀'.repeat(200_000)}\n`;
    expect(await viaBytes(line, 65536, false, 65_536)).toBe(line);
  });

  it('the real command on a 2.5 MiB line of tokens: the same as redacting it whole', () => {
    // Almost every byte is inside a secret: wherever a cut falls, it falls in one.
    const r0 = rng(3);
    const line = `${Array.from({ length: 48_000 }, () => `&token=${pick(r0, '0123456789abcdef', 48)}`).join('')}\n`;
    const file = join(tempDir('long-line'), 'log');
    writeFileSync(file, line);
    const r = spawnSync('node', [BIN, 'redact', file], { maxBuffer: 64 << 20, encoding: 'utf8', env: { ...process.env, CLAWDEPLOY_REDACT_ENV: '', CLAWDEPLOY_REDACT_FILE: '' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(createRedactor({ env: process.env, maxLine: 1 << 30 }).redact(line));
  });
});
