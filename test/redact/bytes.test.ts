// The byte path (runRedactFilter, Redactor.transform) must give the bytes of the string path:
// the same output as decoding, redacting the text and encoding it, also on non-ASCII lines,
// where the rules run on a one-byte stand-in (see src/core/redact/bytes.ts).
import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { createRedactor, runRedactFilter } from '../../src/core/redact/index.js';
import { findSecrets, usesOneScan } from '../../src/core/secrets/match.js';
import { TOKEN_RULES } from '../../src/core/secrets/rules.js';
import { SECRET_CASES, PUBLIC_CASES, PEM_LINES } from '../secrets/cases.js';

const env = { DEPLOY_TOKEN: 'dpl-7f3a9c2e41b8d6f0', UNI_SECRET: 'pässwörd-ünïcode' };

async function bytePath(input: Buffer, chunk: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) chunks.push(input.subarray(i, i + chunk));
  await runRedactFilter(
    Readable.from(chunks),
    new Writable({
      write(c: Buffer, _e, cb) {
        parts.push(Buffer.from(c));
        cb();
      },
    }),
    { env, parallel: false },
  );
  return Buffer.concat(parts);
}

/** Small deterministic PRNG. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

// Non-ASCII that matters to the rules: "à" ends in byte 0xA0 (NBSP in Latin-1), Unicode spaces
// and line separators (\s, trim and `.` see them), astral chars (two UTF-16 units), U+FFFD.
const WIDE = ['à', 'é', '•', '✓', '😀', '\u00a0', '\u3000', '\u2003', '\u2028', 'ß', '中文字', '\ufffd', 'ÿ', 'pässwörd-ünïcode', 'dpl-7f3a9c2e41b8d6f0', 'ééééééé', 'äöüäöü'];

function sample(seed: number): string {
  const r = rng(seed);
  const lines = [...SECRET_CASES.map((c) => c.line), ...PUBLIC_CASES.map((c) => c.line), ...PEM_LINES, 'PASSWORD=voilà123456', 'DB_PASSWORD="très secret"', 'token: "ééééééé"', 'api_key=äöüäöüäöü'];
  const out: string[] = [];
  for (let i = 0; i < 3000; i++) {
    let l = lines[Math.floor(r() * lines.length)]!;
    if (r() < 0.5) {
      const p = Math.floor(r() * (l.length + 1));
      l = l.slice(0, p) + WIDE[Math.floor(r() * WIDE.length)]! + l.slice(p);
    }
    out.push(l);
  }
  return `${out.join('\n')}\n`;
}

describe('byte path = string path', () => {
  it.each([1, 2, 3])('on lines with non-ASCII text anywhere, also inside secrets (seed %i)', async (seed) => {
    const text = sample(seed);
    const expected = Buffer.from(createRedactor({ env }).redact(text), 'utf8');
    // Blocks of one line up to the whole text: the string path is one block.
    expect((await bytePath(Buffer.from(text), 1 << 22)).equals(expected)).toBe(true);
  });

  it('keeps the known values that are not ASCII', async () => {
    const out = (await bytePath(Buffer.from('a pässwörd-ünïcode b\nx dpl-7f3a9c2e41b8d6f0\n'), 7)).toString();
    expect(out).toBe('a [REDACTED:UNI_SECRET] b\nx [REDACTED:DEPLOY_TOKEN]\n');
  });

  it('passes bytes that are not UTF-8 through unchanged, and still redacts the line they are on', async () => {
    const bad = [Buffer.from('ok \xff\xfe ', 'latin1'), Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0xa0])];
    const input = Buffer.concat([...bad, Buffer.from(' TELEGRAM_BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0\nnext ✓\n')]);
    const expected = Buffer.concat([...bad, Buffer.from(' TELEGRAM_BOT_TOKEN=[REDACTED:telegram-bot-token]\nnext ✓\n')]);
    for (const chunk of [5, 1 << 20]) expect((await bytePath(input, chunk)).equals(expected)).toBe(true);
  });

  it('leaves a clean block as it is', async () => {
    const text = 'building /nix/store/0bgkw2px8n5hs3zjxdjakap9fsnzwdi9-nodejs-22.12.0.drv\n'.repeat(2000);
    expect((await bytePath(Buffer.from(text), 1 << 20)).toString()).toBe(text);
  });
});

describe('one scan for all rules (big texts) = one scan per flag group', () => {
  it('is in use for the rule table (a changed assignment rule would turn it off silently)', () => {
    expect(usesOneScan()).toBe(true);
  });

  it.each([1, 2, 3, 4])('on generated text (seed %i)', (seed) => {
    const text = sample(seed);
    expect(text.length).toBeGreaterThan(8192);
    for (const keepEmpty of [false, true]) {
      // A copy of the table is not TOKEN_RULES itself: findSecrets scans it group by group.
      expect(findSecrets(text, keepEmpty)).toEqual(findSecrets(text, keepEmpty, [...TOKEN_RULES]));
    }
  });

  it('on assignments in every shape, next to other rules', () => {
    const names = ['token', 'TOKEN', 'api_key', 'apiKey', 'password', 'PASSWD', 'passphrase', 'pwd', 'secret', 'aws_secret_access_key', 'AWS_SECRET_KEY', 'secret_access_key', 'gateway.auth.token'];
    const ops = ['=', ': ', ' := ', '=>', '" : "', "'='", ' =\n ', ':\t'];
    const values = [
      'Tr0ub4dor3x',
      '3f2a9c4b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ8ut5Lk2b',
      'changeme',
      '${X}',
      'getToken()',
      'https://u:p4ssw0rd@h',
      'xoxb-123456789012-AbCdEfGhIjKl',
    ];
    const lines: string[] = [];
    for (const n of names) for (const o of ops) for (const v of values) lines.push(`${n}${o}${v} ${n}${o}"${v}"`);
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(8192);
    expect(findSecrets(text)).toEqual(findSecrets(text, false, [...TOKEN_RULES]));
  });
});
