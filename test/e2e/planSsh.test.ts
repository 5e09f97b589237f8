// `clawdeploy plan` against real SSH hosts: network namespaces with their own address, /nix and
// sshd. The host's current generation is deployed to it first, as an earlier deploy would have.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, SECRET_FILES, NIX_ENV } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';
import { runCli } from '../helpers/cli.js';
import type { Plan } from '../../src/core/plan/schema.js';

const HM = 'homeConfigurations.staging.activationPackage';
const HM_PROFILE = '/nix/var/nix/profiles/per-user/root/home-manager';
const hosts = useTestHosts();
let repo: string;

afterAll(() => cleanupFixtures());

async function copyTo(h: TestHost, path: string): Promise<void> {
  await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, path], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
}

async function mustRun(h: TestHost, argv: string[]): Promise<string> {
  const r = await h.run(argv);
  if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} on ${h.name}: ${r.stderr}`);
  return r.stdout;
}

async function writeSecrets(h: TestHost, dir: string, names: string[]): Promise<void> {
  for (const n of names) await h.writeFile(`${dir}/${n}`, SECRET_FILES[n]!, 0o600);
}

describe.skipIf(!hostsAvailable())('plan over ssh to network-namespace hosts', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo()).path;
  });

  it('F3 on a Home Manager host: upgrade by tag, closure diff fetched from the host, steps through ssh, rollback to generation 1', async () => {
    const h = await hosts.create('stg');
    const flake = await materializeFlake('f3-bump-openclaw', {
      openclawRepo: repo,
      vars: { TARGET_staging: h.target, PROFILE_staging: HM_PROFILE, SECRETS_DIR: '/run/agenix', GATEWAY_PORT_staging: '18789' },
    });
    await writeSecrets(h, '/run/agenix', ['openclaw-gateway-token', 'anthropic', 'telegram-staging']);
    const current = await buildAt(flake.dir, HM, flake.baseRev);
    await copyTo(h, current);
    await mustRun(h, ['nix-env', '--profile', HM_PROFILE, '--set', current]);
    await mustRun(h, [`${HM_PROFILE}/activate`]);

    const r = await runCli(['--ssh-config', h.sshConfig, 'plan', 'staging', '--flake', flake.dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.host.target).toBe(h.target);
    expect(plan.generations.current).toEqual({ number: 1, storePath: current });
    expect(plan.changes.find((c) => c.kind === 'openclaw-version')?.summary).toMatch(/2026\.6\.10 → 2026\.6\.11/);
    expect(plan.changes.find((c) => c.kind === 'closure')?.summary).toMatch(/openclaw/);
    expect(plan.steps.apply.map((s) => s.action)).toEqual(['build', 'copy-closure', 'set-profile', 'activate']);
    expect(plan.steps.apply[1]!.argv).toContain(h.transport.storeUrl);
    expect(plan.steps.rollback[0]).toMatchObject({ action: 'switch-generation', args: { generation: 1, storePath: current } });
    expect(plan.findings.filter((f) => f.severity === 'block')).toEqual([]);
    // Read-only: the host still runs generation 1 and nothing new reached its profile.
    expect((await mustRun(h, ['readlink', '-f', HM_PROFILE])).trim()).toBe(current);
    expect(await mustRun(h, ['nix-env', '--profile', HM_PROFILE, '--list-generations'])).not.toMatch(/^\s*2\s/m);
    const text = await runCli(['--ssh-config', h.sshConfig, 'plan', 'staging', '--flake', flake.dir]);
    expect(text.stdout).toContain(`ssh root@${h.address} -- nix-env --profile ${HM_PROFILE} --switch-generation 1`);
  });

  it('F2 production on a NixOS host: switch-to-configuration, and a missing secret file blocks (exit 3)', async () => {
    const h = await hosts.create('prd');
    const vars = { TARGET_prod: h.target, PROFILE_prod: '/nix/var/nix/profiles/system', SECRETS_DIR: '/run/secrets', GATEWAY_PORT_prod: '18789' };
    const flake = await materializeFlake('f2-staging-prod', { openclawRepo: repo, vars });
    await writeSecrets(h, '/run/secrets', ['openclaw-prod.env']);
    const blocked = await runCli(['--ssh-config', h.sshConfig, 'plan', 'prod', '--flake', flake.dir, '--json']);
    expect(blocked.code).toBe(3);
    const bp = JSON.parse(blocked.stdout) as Plan;
    expect(bp.findings.find((f) => f.code === 'secret-file-missing')?.message).toMatch(/\/run\/secrets\/telegram-prod/);

    await writeSecrets(h, '/run/secrets', ['telegram-prod']);
    const r = await runCli(['--ssh-config', h.sshConfig, 'plan', 'prod', '--flake', flake.dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.host).toMatchObject({ environment: 'production', kind: 'nixos' });
    expect(plan.steps.apply.find((s) => s.action === 'activate')?.argv).toEqual(['/nix/var/nix/profiles/system/bin/switch-to-configuration', 'switch']);
    expect(plan.findings.map((f) => f.code)).toContain('first-deploy');
  });

  it('an unreachable SSH host is a one-line error naming the host (exit 2)', async () => {
    // A closed port on loopback: nothing listens there.
    const flake = await materializeFlake('f1-single-staging', { openclawRepo: repo, vars: { TARGET_staging: 'ssh://root@127.0.0.1:1', SECRETS_DIR: '/run/agenix' } });
    const r = await runCli(['plan', 'staging', '--flake', flake.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/host 'staging': unreachable/);
  });
});
