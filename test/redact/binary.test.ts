// `clawdeploy redact` on bytes that are not UTF-8 (a binary file, a Latin-1 log): every byte
// goes out as it came, only a secret is replaced. Decoding to U+FFFD made 5 MB into 9 MB.
import { describe, expect, it, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { createRedactor, runRedactFilter, type ParallelOptions } from '../../src/core/redact/index.js';
import { decodeUtf8b, encodeUtf8b } from '../../src/core/redact/utf8b.js';
import { cleanupFixtures, tempDir } from '../helpers/fixtures.js';

afterAll(cleanupFixtures);

const BIN = join(import.meta.dirname, '../../bin/clawdeploy.mjs');
const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';
const ANT = `sk-ant-api03-${'Ab9_'.repeat(23)}xAA`;

function randomBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    b[i] = s >>> 24;
  }
  return b;
}

/** Random bytes with secrets planted at known places; and the bytes the redactor must give. */
function planted(size: number, seed: number): { input: Buffer; expected: Buffer } {
  const secrets: Array<[string, string]> = [
    [`\nTELEGRAM_BOT_TOKEN=`, TG],
    ['\nx-api-key: ', ANT],
  ];
  const parts: Buffer[] = [];
  const want: Buffer[] = [];
  const junk = randomBytes(size, seed);
  const step = Math.floor(size / (secrets.length + 1));
  let at = 0;
  secrets.forEach(([lead, secret], i) => {
    const cut = step * (i + 1);
    const j = junk.subarray(at, cut);
    parts.push(j, Buffer.from(lead), Buffer.from(secret), Buffer.from('\n'));
    want.push(j, Buffer.from(lead), Buffer.from(`[REDACTED:${secret === TG ? 'telegram-bot-token' : 'anthropic-api-key'}]`), Buffer.from('\n'));
    at = cut;
  });
  parts.push(junk.subarray(at));
  want.push(junk.subarray(at));
  return { input: Buffer.concat(parts), expected: Buffer.concat(want) };
}

async function filter(input: Buffer, parallel: ParallelOptions | false, chunk = 64 << 10): Promise<Buffer> {
  const out: Buffer[] = [];
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) chunks.push(input.subarray(i, i + chunk));
  await runRedactFilter(
    Readable.from(chunks),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(Buffer.from(c));
        cb();
      },
    }),
    { env: {}, parallel },
  );
  return Buffer.concat(out);
}

describe('binary input', () => {
  const { input, expected } = planted(3 << 20, 7);

  it('has invalid UTF-8 in it (or the test would test nothing)', () => {
    expect(Buffer.from(input.toString('utf8')).length).toBeGreaterThan(input.length);
  });

  it('in this thread: byte-identical but for the secrets', async () => {
    const out = await filter(input, false);
    expect(out.length).toBe(expected.length);
    expect(out.equals(expected)).toBe(true);
  });

  it('with workers from the first byte: the same', async () => {
    expect((await filter(input, { threshold: 0, workers: 1, blockSize: 256 << 10 })).equals(expected)).toBe(true);
  });

  it('through Redactor.transform: the same', async () => {
    const out: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      Readable.from([input.subarray(0, 1000), input.subarray(1000)])
        .pipe(createRedactor().transform())
        .on('data', (d: Buffer) => out.push(d))
        .on('end', resolve)
        .on('error', reject);
    });
    expect(Buffer.concat(out).equals(expected)).toBe(true);
  });

  it('the real command, `clawdeploy redact FILE`: the same', () => {
    const file = join(tempDir('binary'), 'blob.bin');
    writeFileSync(file, input);
    const r = spawnSync('node', [BIN, 'redact', file], { maxBuffer: 64 << 20, env: { ...process.env, CLAWDEPLOY_REDACT_ENV: '', CLAWDEPLOY_REDACT_FILE: '' } });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(expected.length);
    expect(r.stdout.equals(expected)).toBe(true);
  });

  it('a block the one-byte stand-in cannot represent (a Unicode space elsewhere) keeps its raw bytes too', async () => {
    const raw = Buffer.from([0x41, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80, 0xa0, 0x20]);
    const text = Buffer.concat([Buffer.from('wide\u3000space line\n'), raw, Buffer.from(`PASSWORD=Tr0ub4dor3x\n`), raw, Buffer.from('\n')]);
    const want = Buffer.concat([Buffer.from('wide\u3000space line\n'), raw, Buffer.from(`PASSWORD=[REDACTED:secret-assignment]\n`), raw, Buffer.from('\n')]);
    expect((await filter(text, false)).equals(want)).toBe(true);
  });

  it('utf8b round-trips any bytes', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const b = randomBytes(4096, seed);
      expect(encodeUtf8b(decodeUtf8b(b)).equals(b)).toBe(true);
    }
    const valid = Buffer.from('héllo 😀 wörld ✓');
    expect(decodeUtf8b(valid)).toBe(valid.toString('utf8'));
  });
});
