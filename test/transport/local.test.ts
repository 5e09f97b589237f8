import { describe, expect, it } from 'vitest';
import { isSecretEnvName, scrubEnv, SECRET_ENV_RULES } from '../../src/core/transport/env.js';
import { createLocalTransport, TIMEOUT_EXIT_CODE } from '../../src/core/transport/local.js';
import { runProcess } from '../../src/core/proc.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('secret env rules', () => {
  for (const rule of SECRET_ENV_RULES) {
    it(`${rule.pattern} (${rule.why})`, () => {
      for (const n of rule.examples.drop) expect(isSecretEnvName(n), n).toBe(true);
      for (const n of rule.examples.keep) expect(isSecretEnvName(n), n).toBe(false);
    });
  }

  it('keeps ordinary variables and drops undefined', () => {
    expect(scrubEnv({ PATH: '/bin', HOME: '/root', OPENAI_API_KEY: 'sk-x', U: undefined })).toEqual({ PATH: '/bin', HOME: '/root' });
  });
});

describe('local transport', () => {
  const t = createLocalTransport();

  it('scrubs API keys from the child env but passes RunOptions.env', async () => {
    const secrets = { ANTHROPIC_API_KEY: 'sk-ant-test', OPENAI_API_KEY: 'sk-test', GITHUB_TOKEN: 'ghp_test', DB_PASSWORD: 'pw' };
    Object.assign(process.env, secrets, { CLAWDEPLOY_PLAIN: 'kept' });
    try {
      const r = await t.run(['env'], { env: { EXTRA: 'given' } });
      expect(r.exitCode).toBe(0);
      for (const [k, v] of Object.entries(secrets)) {
        expect(r.stdout).not.toContain(k);
        expect(r.stdout).not.toContain(v);
      }
      expect(r.stdout).toContain('CLAWDEPLOY_PLAIN=kept\n');
      expect(r.stdout).toContain('EXTRA=given\n');
    } finally {
      for (const k of [...Object.keys(secrets), 'CLAWDEPLOY_PLAIN']) delete process.env[k];
    }
  });

  it('returns stdout, stderr and a non-zero exit as a result, without a shell', async () => {
    const r = await t.run(['sh', '-c', 'printf out; printf err >&2; exit 7']);
    expect(r).toMatchObject({ exitCode: 7, stdout: 'out', stderr: 'err', timedOut: false });
    // No shell: the metacharacters are one literal argument.
    expect((await t.run(['echo', '$(id) ; |'])).stdout).toBe('$(id) ; |\n');
  });

  it('feeds stdin and honours the timeout', async () => {
    expect((await t.run(['cat'], { input: 'piped\n' })).stdout).toBe('piped\n');
    const r = await t.run(['sleep', '5'], { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(TIMEOUT_EXIT_CODE);
    expect(r.durationMs).toBeLessThan(2_000);
  });

  it('reports a missing program as exit 127', async () => {
    const r = await t.run(['clawdeploy-no-such-program']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/ENOENT/);
  });
});

describe('runProcess (the one place a local process starts)', () => {
  it('keeps a UTF-8 character split across output chunks whole', async () => {
    // The Euro sign's three bytes arrive in two writes, 50 ms apart.
    const r = await runProcess('sh', ['-c', "printf '\\342\\202'; sleep 0.05; printf '\\254 ok'"]);
    expect(r.stdout).toBe('€ ok');
  });

  it('reports a signal as 128+n, and a file that is not executable as 126', async () => {
    expect((await runProcess('sh', ['-c', 'kill -9 $$'])).exitCode).toBe(137);
    const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-proc-'));
    try {
      writeFileSync(join(dir, 'script'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
      const r = await runProcess(join(dir, 'script'), []);
      expect(r.exitCode).toBe(126);
      expect(r.startError).toMatch(/EACCES/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on timeout, stops waiting for a grandchild that holds the pipes, and kills a child that ignores SIGTERM', async () => {
    const t0 = performance.now();
    const held = await runProcess('sh', ['-c', 'sleep 30 & echo started; wait'], { timeoutMs: 200 });
    expect(held).toMatchObject({ timedOut: true, exitCode: TIMEOUT_EXIT_CODE, stdout: 'started\n' });
    expect(performance.now() - t0).toBeLessThan(2_000);
    const stubborn = await runProcess('sh', ['-c', "trap '' TERM; echo $$; sleep 30"], { timeoutMs: 100 });
    expect(stubborn.timedOut).toBe(true);
    const pid = Number(stubborn.stdout.trim());
    // SIGKILL follows 5 s after SIGTERM, even though the result came back already: poll for the
    // process to be gone, with a deadline well past 5 s so a loaded machine does not fail it.
    expect(await goneWithin(pid, 15_000)).toBe(true);
  });

  it('streams output as it arrives', async () => {
    const seen: string[] = [];
    const r = await runProcess('sh', ['-c', 'echo one; sleep 0.1; echo two >&2'], { onOutput: (s, c) => seen.push(`${s}:${c.toString()}`) });
    expect(seen).toEqual(['stdout:one\n', 'stderr:two\n']);
    expect(r).toMatchObject({ stdout: 'one\n', stderr: 'two\n', exitCode: 0 });
  });
});

/** Polls until `pid` no longer exists (ESRCH), or the deadline passes. */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
      throw e;
    }
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
