import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { scanSources, scanSourcesSync } from '../../src/core/secrets/index.js';
import { createRedactor } from '../../src/core/redact/index.js';

// The project's F5 fixture (inline secrets) and F1 (agenix paths + SecretRefs), with the
// shared fake secrets substituted as the fixture helpers do.
const secrets = JSON.parse(readFileSync(new URL('../../fixtures/secrets.json', import.meta.url), 'utf8')) as { inline: Record<string, string>; files: Record<string, string> };
const f5Template = readFileSync(new URL('../../fixtures/flakes/f5-inline-secret/files/flake.nix', import.meta.url), 'utf8');
const f5 = f5Template.replace(/@FAKE_SECRET_(\w+)@/g, (_m, k: string) => secrets.inline[k] ?? '');
const lineOf = (needle: string): number => f5Template.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('fixture F5: inline secrets', () => {
  it('blocks each inline secret on its line, before any build', async () => {
    const fs = await scanSources([{ path: 'flake.nix', content: f5 }]);
    const blocks = fs.filter((f) => f.severity === 'block').map((f) => [f.line, f.code]);
    expect(blocks).toEqual(
      [
        [lineOf('@FAKE_SECRET_gatewayToken@'), 'secret-inline'],
        [lineOf('@FAKE_SECRET_telegramBotToken@'), 'secret-inline'],
        [lineOf('@FAKE_SECRET_anthropicApiKey@'), 'secret-inline'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    const text = JSON.stringify(fs);
    for (const v of Object.values(secrets.inline)) expect(text).not.toContain(v.slice(0, 8));
  });

  it('F1 (agenix paths and SecretRefs) gives no finding', () => {
    const f1 = readFileSync(new URL('../../fixtures/flakes/f1-single-staging/flake.nix', import.meta.url), 'utf8');
    expect(scanSourcesSync([{ path: 'flake.nix', content: f1 }])).toEqual([]);
  });

  it('the redactor removes every shaped fake secret of the fixtures from a log', () => {
    const shaped = [...Object.values(secrets.inline), ...Object.values(secrets.files)].filter((v) => !/^[0-9a-f]{48}$/.test(v));
    const log = shaped.map((v, i) => `line ${i}: ${v.replace(/\n/g, '\nline: ')}`).join('\n');
    const out = createRedactor().redact(log);
    const values = shaped.flatMap((v) => v.split('\n').map((l) => l.slice(l.indexOf('=') + 1))).filter((p) => p.length >= 16);
    expect(values.length).toBeGreaterThanOrEqual(8);
    for (const part of values) expect(out).not.toContain(part);
  });
});
