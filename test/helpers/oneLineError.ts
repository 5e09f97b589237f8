// Bad input's contract (README "Exit codes"): one line on stderr, no stack trace, the documented code.
import { expect } from 'vitest';
import type { CliResult } from './cli.js';

export function oneLineError(r: CliResult, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^clawdeploy: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(lines[0]).toMatch(pattern);
}
