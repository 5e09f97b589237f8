import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/core/secrets/match.js';
import { TOKEN_RULES } from '../../src/core/secrets/rules.js';
import { isPublicValue } from '../../src/core/secrets/allowlist.js';
import { SECRET_CASES, PUBLIC_CASES, ANSI_CASES } from './cases.js';

describe('token rules: true positives', () => {
  it.each([...SECRET_CASES, ...ANSI_CASES])('$name is found by $rule', ({ line, secret, rule }) => {
    const spans = findSecrets(line);
    const hit = spans.find((s) => line.slice(s.start, s.end).includes(secret));
    expect(hit, `no span covers ${secret}`).toBeDefined();
    expect(hit!.ruleId).toBe(rule);
  });

  it('every rule id appears in the cases', () => {
    const covered = new Set(SECRET_CASES.map((c) => c.rule));
    for (const r of TOKEN_RULES) expect(covered, r.id).toContain(r.id);
  });

  it('finds the same secrets inside a big block as on single lines', () => {
    const block = SECRET_CASES.map((c) => c.line).join('\n');
    const spans = findSecrets(block);
    for (const c of SECRET_CASES)
      expect(
        spans.some((s) => block.slice(s.start, s.end).includes(c.secret)),
        c.name,
      ).toBe(true);
  });
});

describe('token rules: true negatives', () => {
  it.each([
    ['sk- inside a word', 'task-Ab3dEfGhIjKlMnOpQrSt0123456789'],
    ['AKIA inside a word', 'XAKIAZ7Q3XK2MPL5VN4RT'],
    ['discord shape inside a longer dotted word', 'x.MTA4NjY1NjQwNzA5NjE2NjQ2NQ.GbCdEf.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ])('%s gives no span', (_n, line) => {
    expect(findSecrets(line)).toEqual([]);
  });

  it.each(PUBLIC_CASES)('$name gives no span', ({ line }) => {
    expect(findSecrets(line).map((s) => line.slice(s.start, s.end))).toEqual([]);
  });

  it.each([
    ['store hash', '0c5k5jf2h2q8mhw8m2n8ydm8yjmbq6k6'],
    ['SRI', 'sha256-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcde='],
    ['git rev', '910c1ce89e6a6c7574ab97d3935afbe5310b5db7'],
    ['age recipient', 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'],
    ['uuid', '6f1c7a52-3c0e-4b3a-9f1e-2a6b8c9d0e1f'],
  ])('%s is a public value', (_n, v) => {
    expect(isPublicValue(v)).toBe(true);
  });

  it('a 48-hex gateway token is not mistaken for a public hash', () => {
    expect(isPublicValue('3f2a9c4b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e', 'keyed')).toBe(false);
  });
});
