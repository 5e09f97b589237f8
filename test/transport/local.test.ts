import { describe, expect, it } from 'vitest';
import { isSecretEnvName, scrubEnv, SECRET_ENV_RULES } from '../../src/core/transport/env.js';
import { createLocalTransport, TIMEOUT_EXIT_CODE } from '../../src/core/transport/local.js';

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
