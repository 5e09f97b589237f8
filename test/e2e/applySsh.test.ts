// Apply over ssh to network-namespace hosts: the watchdog (deploy-rs's magic rollback) is armed
// before activation and confirmed over a fresh connection; without a confirm the host reverts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, NIX_ENV, tempDir } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts } from '../helpers/hosts.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';
import { loadHost } from '../../src/core/inventory/load.js';
import { createRedactor } from '../../src/core/redact/index.js';
import { openAuditLog } from '../../src/core/exec/audit.js';
import { execContext, openTransports } from '../../src/core/deploy/apply.js';
import { createRunner } from '../../src/core/deploy/runner.js';
import { canaryPath, watchdogSteps } from '../../src/core/deploy/hostFiles.js';
import { makeStep } from '../../src/core/plan/steps.js';
import { hostStateDir } from '../../src/core/plan/catalog.js';
import { printed } from '../helpers/cli.js';
import { HM, PROFILE, currentGen, must, seed, version } from '../helpers/sshDeploy.js';

const hosts = useTestHosts();
let repo: string;
afterAll(() => cleanupFixtures());

/** A netns host running F1's generation 1, and the flake of `fixture` pointed at it. */
async function seeded(name: string, fixture: string) {
  const h = await hosts.create(name);
  return { h, ...(await seed(h, fixture, repo)) };
}

describe.skipIf(!hostsAvailable())('apply over ssh', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo({ extraVersions: [{ version: '2026.6.12', broken: true }] })).path;
  });

  it('F3: copies the closure, arms the watchdog, activates, validates, confirms over a fresh connection', async () => {
    const { h, cli } = await seeded('aps', 'f3-bump-openclaw');
    const r = await cli('apply', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stderr).toMatch(/ copy --to ssh:\/\//);
    expect(r.stderr).toMatch(/setsid -f sh -c/);
    expect(r.stderr).toMatch(/confirming over a fresh connection/);
    expect(await currentGen(h)).toBe(2);
    expect(await version(h)).toBe('2026.6.11');
    expect((await h.run(['test', '-e', canaryPath({ profile: PROFILE } as never)])).exitCode).not.toBe(0);
    expect((await h.run(['test', '-e', `${PROFILE}.clawdeploy/lock`])).exitCode).not.toBe(0);
    expect(JSON.parse(await must(h, ['cat', `${PROFILE}.clawdeploy/last-deploy.json`]))).toMatchObject({ host: 'staging', outcome: 'succeeded', generation: { number: 2 } });
  });

  it('F6 breaks the gateway over ssh: disarms the watchdog, rolls back, verifies, exits 1', async () => {
    const { h, cli } = await seeded('apb', 'f6-bump-broken');
    const r = await cli('apply', 'staging', '--yes', '--deadline', '6');
    expect(r.code, printed(r)).toBe(1);
    expect(r.stdout).toMatch(/rolled back to generation 1, which is healthy/);
    expect(await currentGen(h)).toBe(1);
    expect(await version(h)).toBe('2026.6.10');
    expect((await h.run(['test', '-e', `${PROFILE}.clawdeploy/watchdog-canary`])).exitCode).not.toBe(0);
  });

  it('the watchdog reverts the host on its own when no confirm arrives (a cut connection)', async () => {
    const { h, flake } = await seeded('apw', 'f3-bump-openclaw');
    const gen2 = await buildAt(flake.dir, HM);
    await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, gen2], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
    const host = await loadHost(flake.dir, 'staging');
    const { transport, fresh } = openTransports(host, h.sshConfig);
    const deps = { ledger: null as never, audit: openAuditLog(join(tempDir('audit'), 'audit.jsonl')), redactor: createRedactor(), approver: async () => ({ approved: true, approver: 'test' }) };
    const runner = createRunner(execContext(host, transport, fresh, flake.dir, deps, null), null, null);
    try {
      const dir = makeStep('dir', 'state-dir', { path: hostStateDir(host) }, 'test', runner.exec.actionCtx);
      for (const s of [dir, ...watchdogSteps(runner.exec.actionCtx, 1, 5)]) expect((await runner.run(s, 'bookkeeping')).status).toBe('ok');
      // The new generation goes live, then the deployer vanishes: nobody deletes the canary.
      await must(h, ['nix-env', '--profile', PROFILE, '--set', gen2]);
      await must(h, [`${PROFILE}/activate`]);
      expect(await currentGen(h)).toBe(2);
      // The watchdog (5 s) switches back and re-activates on its own: wait for that, bounded.
      const end = Date.now() + 60_000;
      const reverted = async () => (await currentGen(h)) === 1 && (await version(h).catch(() => null)) === '2026.6.10';
      while (!(await reverted()) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
      expect(await currentGen(h)).toBe(1);
      expect(await version(h)).toBe('2026.6.10');
    } finally {
      await transport.close();
    }
  });
});
