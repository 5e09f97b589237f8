// The `NAME = value` rule: a value may start with any character, and a clawdeploy finding
// quoted back to the model keeps its location, while a real value under the same kind of name
// is still removed.
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/core/redact/index.js';
import { inlineSecretFinding, renderedFinding, tokenFinding } from '../../src/core/secrets/findings.js';
import type { Finding } from '../../src/core/plan/schema.js';

const redact = (s: string) => createRedactor().redact(s);
/** A finding as the model's facts show it (src/core/assistant/facts.ts). */
const fact = (x: Finding) => `- ${x.severity} ${x.code}: ${x.message}${x.fix ? ` FIX: ${x.fix}` : ''}`;
const TG = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

describe('values that start with punctuation', () => {
  const names = ['PASSWORD', 'DB_PASSWORD', 'DEPLOY_TOKEN', 'GITHUB_TOKEN', 'API_KEY', 'SMTP_SECRET_KEY'];
  const firsts = [...'%!#*$~^@?+-.:=|'];
  for (const name of names) {
    it(`${name}=<punctuation>… is redacted, whatever its first character`, () => {
      for (const c of firsts) {
        const secret = `${c}Xk9mQ2pLz7`;
        for (const line of [`${name}=${secret}`, `export ${name}=${secret} # set`, `${name}="${secret}"`, `Environment="${name}=${secret}"`]) {
          const out = redact(line);
          expect(out, line).not.toContain('Xk9mQ2pLz7');
          expect(out, line).toContain('[REDACTED:secret-assignment]');
        }
      }
    });
  }

  it('also in a block big enough for the one-scan path', () => {
    const text = `${'nothing to see here\n'.repeat(600)}PASSWORD=%Xk9mQ2pLz7\nAPI_KEY=*Xk9mQ2pLz7\nDEPLOY_TOKEN=~Xk9mQ2pLz7\n`;
    expect(text.length).toBeGreaterThan(8192);
    expect(redact(text)).not.toContain('Xk9mQ2pLz7');
  });

  it.each([
    ['an absolute path', 'TOKEN_PATH_X_TOKEN=/run/agenix/telegram-bot'],
    ['a home path', 'API_KEY=~/.config/openai/key'],
    ['a shell variable', 'PASSWORD=$DB_PASSWORD'],
    ['a shell variable in braces', 'PASSWORD=${DB_PASSWORD}'],
    ['a lower-case shell variable', 'password=$password'],
    ['a Windows variable', 'PASSWORD=%DB_PASSWORD%'],
    ['a systemd credential specifier', 'API_KEY=%d/openai-key'],
    ['a placeholder', 'api_key: "<your-api-key>"'],
    ['a template', 'token: "{{ secrets.bot_token }}"'],
    ['a masked value', 'PASSWORD=********'],
  ])('%s stays as it is', (_n, line) => {
    expect(redact(line)).toBe(line);
  });
});

describe('a finding quoted in the facts keeps its location and code', () => {
  const findings: Finding[] = [
    tokenFinding('flake.nix', 8, 'telegram-bot-token', TG),
    tokenFinding('hosts/bot.nix', 12, 'anthropic-api-key', 'sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxx', { state: 'uncommitted' }, 17),
    inlineSecretFinding('flake.nix', 9, ['programs', 'openclaw', 'config', 'gateway', 'auth', 'token'], '3f2a9c4b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e'),
    renderedFinding('/nix/store/0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6-openclaw-default.json', 6, 'a token-shaped secret (telegram-bot-token)', TG),
  ];
  it.each(findings.map((f) => [f.code, f.line, fact(f)] as const))('%s at line %i goes through unchanged', (_c, _l, line) => {
    expect(redact(line)).toBe(line);
  });

  it('the exact line of the issue', () => {
    const line = '- block secret-token: flake.nix:8: a token-shaped secret';
    expect(redact(line)).toBe(line);
  });

  it.each([
    ['secret-token: Tr0ub4dor3x9', 'Tr0ub4dor3x9'],
    ['secret-token: flake.nix:8:x9Tr0ub', 'x9Tr0ub'],
    ['api-token: "hunter2hunter2"', 'hunter2hunter2'],
    ['DEPLOY_TOKEN: flake-nix-8-x', 'flake-nix-8-x'],
    ['PASSWORD=flake.nix:8:Tr0ub4dor3', 'Tr0ub4dor3'],
    [`- block secret-token: flake.nix:8: TELEGRAM_BOT_TOKEN=${TG}`, TG],
  ])('a real value under such a name is still redacted: %s', (line, secret) => {
    expect(redact(line)).not.toContain(secret);
  });
});
