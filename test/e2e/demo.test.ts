// The README's first command runs this: the whole loop on the bundled example, no API key.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { skipReal } from '../helpers/realOpenclaw.js';

describe('clawdeploy demo', () => {
  it('plans, applies, smoke-tests, drills and shows the history on a local host it creates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-demo-test-'));
    try {
      const r = await runCli(['demo', '--dir', dir], { env: { CLAWDEPLOY_STATE_DIR: join(dir, 'user-state') } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/OpenClaw 2026\.6\.10 → 2026\.6\.11/);
      expect(r.stdout).toMatch(/deployed staging: generation 2 is healthy/);
      expect(r.stdout).toMatch(/ok {3}channels-probe: every channel works: telegram/);
      expect(r.stdout).toMatch(/drill passed on staging/);
      expect(r.stdout).toMatch(/apply +succeeded +generation 1 -> 2/);
      expect(existsSync(join(dir, 'runbook.json'))).toBe(true);
      // The demo keeps its records in its own directory, not the user's ledger.
      expect(existsSync(join(dir, 'state', 'records.db'))).toBe(true);
      expect(existsSync(join(dir, 'user-state', 'records.db'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(skipReal)('clawdeploy demo --real', () => {
  it('runs the same loop on the real OpenClaw gateway, its Telegram channel against a fake Bot API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-demo-real-test-'));
    try {
      const r = await runCli(['demo', '--real', '--dir', dir], { env: { CLAWDEPLOY_STATE_DIR: join(dir, 'user-state') } });
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/packages the real OpenClaw/);
      expect(r.stdout).toMatch(/channels\.telegram\.allowFrom|allowFrom/);
      expect(r.stdout).toMatch(/deployed staging: generation 2 is healthy/);
      expect(r.stdout).toMatch(/ok {3}channels-probe: every channel works: telegram/);
      expect(r.stdout).toMatch(/drill passed on staging/);
      expect(r.stdout).toMatch(/The deploy succeeded, the smoke test passed and the rollback drill worked/);
    } finally {
      // The demo waited for its gateway to exit; a retry covers a slow unlink under load.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  }, 900_000);
});
