import { describe, expect, it } from 'vitest';
import { Readable, Writable } from 'node:stream';
import { createRedactor } from '../../src/core/redact/index.js';
import { runRedactFilter } from '../../src/core/redact/cli.js';
import { SECRET_CASES, PUBLIC_CASES, PEM_LINES, PEM_SECRETS } from '../secrets/cases.js';

async function* chunksOf(text: string, sizes: number[]): AsyncGenerator<string> {
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = sizes[k++ % sizes.length]!;
    yield text.slice(i, i + n);
    i += n;
  }
}

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const s of gen) out += s;
  return out;
}

describe('redact(text)', () => {
  it.each(SECRET_CASES)('removes $name and names the rule', ({ line, secret, rule }) => {
    const out = createRedactor().redact(line);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${rule}]`);
  });

  it.each(PUBLIC_CASES)('leaves $name byte-identical', ({ line }) => {
    expect(createRedactor().redact(line)).toBe(line);
  });

  it('keeps the text around a secret and the line structure', () => {
    const text = 'a\nTELEGRAM_BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0 done\n\nz';
    expect(createRedactor().redact(text)).toBe('a\nTELEGRAM_BOT_TOKEN=[REDACTED:telegram-bot-token] done\n\nz');
  });

  it('redacts a multi-line PEM key body and keeps its markers', () => {
    const text = ['before', ...PEM_LINES, 'after AKIAZ7Q3XK2MPL5VN4RT'].join('\n');
    const out = createRedactor().redact(text);
    for (const s of PEM_SECRETS) expect(out).not.toContain(s);
    expect(out.split('\n')).toEqual(['before', PEM_LINES[0], '[REDACTED:pem-private-key]', '[REDACTED:pem-private-key]', PEM_LINES[3], 'after [REDACTED:aws-access-key-id]']);
  });

  it('counts what it redacted', () => {
    const r = createRedactor();
    r.redact(SECRET_CASES.map((c) => c.line).join('\n'));
    expect(r.stats.redactions).toBeGreaterThanOrEqual(SECRET_CASES.length);
    expect(r.stats.byRule['telegram-bot-token']).toBe(2);
  });
});

describe('known values', () => {
  it('masks secret-looking env values exactly, and leaves other env values', () => {
    const env = { DEPLOY_PASS: 'plain words here', MY_TOKEN: 'opaque-but-not-shaped', HOME: '/root', TOKEN_FILE: '/run/agenix/x', SHORT_KEY: 'abc' };
    const r = createRedactor({ env });
    expect(r.redact('login with plain words here and opaque-but-not-shaped in /root /run/agenix/x abc')).toBe('login with [REDACTED:DEPLOY_PASS] and [REDACTED:MY_TOKEN] in /root /run/agenix/x abc');
  });

  it('addKnownValue works like a CI mask, including after creation', () => {
    const r = createRedactor({ knownValues: [{ value: 'first-secret-1', label: 'one' }] });
    r.addKnownValue('correct horse battery', 'db');
    expect(r.redact('x first-secret-1 y correct horse battery z')).toBe('x [REDACTED:one] y [REDACTED:db] z');
  });

  it('masks a multi-line known value line by line', () => {
    const r = createRedactor();
    r.addKnownValue('line-one-secret\nline-two-secret', 'cert');
    expect(r.redact('a line-one-secret\nline-two-secret b')).toBe('a [REDACTED:cert]\n[REDACTED:cert] b');
  });
});

describe('streaming', () => {
  const text = [...SECRET_CASES.map((c) => c.line), ...PUBLIC_CASES.map((c) => c.line), ...PEM_LINES, 'tail without newline AKIAZ7Q3XK2MPL5VN4RT'].join('\n');
  const expected = createRedactor().redact(text);

  it('a secret split across chunks is still caught (every split point of a line)', async () => {
    const line = 'TELEGRAM_BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0\n';
    for (let cut = 1; cut < line.length; cut++) {
      const out = await collect(createRedactor().redactChunks(chunksOf(line, [cut, line.length])));
      expect(out, `cut at ${cut}`).toBe('TELEGRAM_BOT_TOKEN=[REDACTED:telegram-bot-token]\n');
    }
  });

  it.each([[[1]], [[7]], [[3, 64, 1, 500]], [[4096]]])('gives the same output as redact() with chunk sizes %j', async (sizes) => {
    expect(await collect(createRedactor().redactChunks(chunksOf(text, sizes)))).toBe(expected);
  });

  it('works as a Node Transform on bytes, including a UTF-8 character split across chunks', async () => {
    const input = Buffer.from(`héllo ✓ ${SECRET_CASES[0]!.line}\n`);
    const parts = [input.subarray(0, 2), input.subarray(2, 9), input.subarray(9)];
    let out = '';
    await new Promise<void>((resolve, reject) => {
      Readable.from(parts)
        .pipe(createRedactor().transform())
        .on('data', (d: Buffer | string) => (out += d.toString()))
        .on('end', resolve)
        .on('error', reject);
    });
    expect(out).toBe('héllo ✓ TELEGRAM_BOT_TOKEN=[REDACTED:telegram-bot-token]\n');
  });

  it('keeps memory bounded on a giant line and still redacts it', async () => {
    const secret = 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const giant = `${'word '.repeat(50_000)}${secret} ${'word '.repeat(50_000)}`;
    const out = await collect(createRedactor({ maxLine: 16_384 }).redactChunks(chunksOf(giant, [1000])));
    expect(out.length).toBeLessThan(giant.length);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED:github-token]');
  });
});

describe('runRedactFilter', () => {
  it('copies input to output with secrets replaced and returns the counts', async () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _e, cb) {
        out += chunk.toString();
        cb();
      },
    });
    const stats = await runRedactFilter(Readable.from([Buffer.from('x AKIAZ7Q3XK2MPL5'), Buffer.from('VN4RT y\n')]), sink, { env: {} });
    expect(out).toBe('x [REDACTED:aws-access-key-id] y\n');
    expect(stats.redactions).toBe(1);
  });
});

describe('colored output', () => {
  it('keeps ANSI color codes intact around a redacted value', () => {
    expect(createRedactor().redact('\x1b[1mDB_PASSWORD=Tr0ub4dor3\x1b[0m done')).toBe('\x1b[1mDB_PASSWORD=[REDACTED:secret-assignment]\x1b[0m done');
  });
});
