// NixOS goals over ssh (issue 12), on a network-namespace host running F2's NixOS system through
// the stand-in's switch-to-configuration: dry-activate during planning (read-only), test (the
// profile, the boot default, stays), then switch, then boot (nothing restarts; not validated).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, NIX_ENV, SECRET_FILES, tempDir } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';
import { printed, runCli } from '../helpers/cli.js';
import { must } from '../helpers/sshDeploy.js';
import type { Plan } from '../../src/core/plan/schema.js';

const OS = 'nixosConfigurations.prod.config.system.build.toplevel';
const SYSTEM = '/nix/var/nix/profiles/system';
const hosts = useTestHosts();
let repo: string;
afterAll(() => cleanupFixtures());

/** The host's system generations, as nix-env lists them: [number, current]. */
async function generations(h: TestHost): Promise<Array<[number, boolean]>> {
  return (await must(h, ['nix-env', '--profile', SYSTEM, '--list-generations'])).split('\n').map((l) => [Number(l.trim().split(/\s+/)[0]), l.includes('(current)')]);
}
const gatewayPid = (h: TestHost) => readFileSync(join(h.rootDir, 'var/lib/openclaw/gateway.pid'), 'utf8').trim();
/** The users the live config allows on telegram: which build's config is live. */
const liveAllowFrom = (h: TestHost) =>
  (JSON.parse(readFileSync(join(h.rootDir, 'etc/openclaw/openclaw.json'), 'utf8')) as { channels: { telegram: { allowFrom: number[] } } }).channels.telegram.allowFrom;

/** F2's flake pointed at `h`, prod made a staging host (so --yes applies), its generation 1 switched to. */
async function seeded(h: TestHost) {
  const flake = await materializeFlake('f2-staging-prod', {
    openclawRepo: repo,
    vars: { TARGET_prod: h.target, PROFILE_prod: SYSTEM, SECRETS_DIR: '/run/secrets', GATEWAY_PORT_prod: '18789' },
  });
  for (const s of ['openclaw-prod.env', 'telegram-prod']) await h.writeFile(`/run/secrets/${s}`, SECRET_FILES[s]!, 0o600);
  const gen1 = await buildAt(flake.dir, OS, flake.baseRev);
  await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, gen1], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
  await must(h, ['nix-env', '--profile', SYSTEM, '--set', gen1]);
  await must(h, [`${SYSTEM}/bin/switch-to-configuration`, 'switch']);
  const env = { CLAWDEPLOY_STATE_DIR: tempDir('state') };
  const cli = (...args: string[]) => runCli(['--ssh-config', h.sshConfig, ...args, '--flake', flake.dir], { env });
  /**
   * The flake's working tree: prod on staging, telegram allowing `users`, and the gateway token its
   * environment file sets named in the config (so the checks can load it, as a real host declares it).
   */
  const change = (users: number[], telegramToken = '/run/secrets/telegram-prod') => {
    const file = join(flake.dir, 'flake.nix');
    const text = readFileSync(file, 'utf8')
      .replace('environment = "production";', 'environment = "staging";')
      .replace(/(tokenFile = )"\/run\/secrets\/telegram-prod";(\s*allowFrom = )\[[^\]]*\]/, `$1"${telegramToken}";$2[ ${users.join(' ')} ]`)
      .replace('bind = "loopback"; };', 'bind = "loopback"; auth.token = { source = "env"; provider = "default"; id = "OPENCLAW_GATEWAY_TOKEN"; }; };');
    writeFileSync(file, text);
  };
  return { flake, gen1, cli, change, env };
}

describe.skipIf(!hostsAvailable())('NixOS goals over ssh', () => {
  let h: TestHost;
  let host: Awaited<ReturnType<typeof seeded>>;
  let pid1: string;
  let planned: Plan;
  beforeAll(async () => {
    repo = (await createOpenclawRepo()).path;
    h = await hosts.create('nxg');
    host = await seeded(h);
    pid1 = gatewayPid(h);
    host.change([12345678, 87654321]);
  });

  it('dry-activate is planned read-only: the units it would stop and start are in the plan', async () => {
    const dry = await host.cli('plan', 'prod', '--goal', 'dry-activate', '--json');
    expect(dry.code, printed(dry)).toBe(0);
    planned = JSON.parse(dry.stdout) as Plan;
    expect(planned.goal).toBe('dry-activate');
    expect(planned.steps.apply.map((s) => s.action)).toEqual(['build', 'copy-closure', 'dry-activate']);
    expect(planned.steps.apply[2]!.argv).toEqual([`${planned.generations.next!.storePath}/bin/switch-to-configuration`, 'dry-activate']);
    expect(planned.steps.validate).toEqual([]);
    expect(planned.changes.find((c) => c.summary.startsWith('dry-activate:'))?.summary).toBe('dry-activate: activating it would stop and start openclaw-gateway.service');
    expect(planned.findings.find((f) => f.code === 'dry-activate-gateway')).toMatchObject({ severity: 'info' });
    // Nothing ran: the same gateway, the same profile and config (the build only reached the store).
    expect(gatewayPid(h)).toBe(pid1);
    expect(await generations(h)).toEqual([[1, true]]);
    expect(liveAllowFrom(h)).toEqual([12345678]);
    const dryApply = await host.cli('apply', 'prod', '--goal', 'dry-activate', '--yes');
    expect(dryApply.code, printed(dryApply)).toBe(0);
    expect(dryApply.stdout).toContain('dry-activate: nothing was changed on prod; activating it would stop and start openclaw-gateway.service');
    expect(gatewayPid(h)).toBe(pid1);
  });

  it('test activates the build from its store path and validates it; the profile, the boot default, stays', async () => {
    const test = await host.cli('apply', 'prod', '--goal', 'test', '--yes', '--deadline', '30');
    expect(test.code, printed(test)).toBe(0);
    expect(test.stderr).toContain(`${planned.generations.next!.storePath}/bin/switch-to-configuration test`);
    expect(test.stderr).not.toMatch(/nix-env --profile \S+ --set/);
    expect(test.stdout).toMatch(/tested prod: \/nix\/store\/\S+ is active and healthy; generation 1 stays the boot default/);
    expect(await generations(h)).toEqual([[1, true]]);
    expect((await must(h, ['readlink', '-f', SYSTEM])).trim()).toBe(host.gen1);
    expect(liveAllowFrom(h)).toEqual([12345678, 87654321]);
    expect(gatewayPid(h)).not.toBe(pid1);
    const record = JSON.parse(await must(h, ['cat', `${SYSTEM}.clawdeploy/last-deploy.json`])) as Record<string, unknown>;
    expect(record).toMatchObject({ outcome: 'succeeded', goal: 'test', generation: null, tested: planned.generations.next!.storePath });

    // The next plan says what runs (the tested build) instead of calling it drift; its rollback is generation 1.
    const after = await host.cli('plan', 'prod', '--json');
    expect(after.code, printed(after)).toBe(0);
    const ap = JSON.parse(after.stdout) as Plan;
    expect(ap.findings.map((f) => f.code)).toContain('tested-build');
    expect(ap.findings.filter((f) => f.code.startsWith('drift'))).toEqual([]);
    expect(ap.steps.rollback[0]).toMatchObject({ action: 'switch-generation', args: { generation: 1, storePath: host.gen1 } });
  });

  it('switch then makes the tested build generation 2, the boot default', async () => {
    const sw = await host.cli('apply', 'prod', '--yes', '--deadline', '30');
    expect(sw.code, printed(sw)).toBe(0);
    expect(await generations(h)).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it('a test that fails validation activates generation 2 again (with test); the profile never moved', async () => {
    // An empty token file: the channel is "configured but unavailable", so its probe fails.
    await h.writeFile('/run/secrets/telegram-empty', '', 0o600);
    host.change([12345678, 87654321], '/run/secrets/telegram-empty');
    const r = await host.cli('apply', 'prod', '--goal', 'test', '--yes', '--deadline', '12');
    expect(r.code, printed(r)).toBe(1);
    expect(r.stderr).toContain(`${SYSTEM}/bin/switch-to-configuration test`);
    expect(r.stdout).toMatch(/deploy failed \(.+\); rolled back to generation 2, which is healthy/);
    expect(await generations(h)).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(liveAllowFrom(h)).toEqual([12345678, 87654321]);
  });

  it('boot makes generation 3 the boot default: nothing restarts, nothing is validated, recorded as applied-for-next-boot', async () => {
    host.change([12345678, 87654321, 11111111]);
    const pid2 = gatewayPid(h);
    const boot = await host.cli('apply', 'prod', '--goal', 'boot', '--yes');
    expect(boot.code, printed(boot)).toBe(0);
    expect(boot.stderr).toContain(`${SYSTEM}/bin/switch-to-configuration boot`);
    expect(boot.stdout).toMatch(/prod: generation 3 is the boot default; nothing restarted, the gateway runs it after the next reboot \(not validated/);
    expect(boot.stderr).not.toMatch(/validating the gateway/);
    expect(await generations(h)).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(gatewayPid(h)).toBe(pid2);
    expect(liveAllowFrom(h)).toEqual([12345678, 87654321]);
    const history = await runCli(['history', 'prod', '--json'], { env: host.env });
    expect((JSON.parse(history.stdout) as Array<{ outcome: string }>).map((d) => d.outcome)).toEqual(['applied-for-next-boot', 'rolled-back', 'succeeded', 'succeeded']);
  });

  it('a rollout with --goal boot: every host planned and applied with it, each applied-for-next-boot (not running); a non-NixOS host refuses it before anything runs', async () => {
    // staging (Home Manager) in the selection: refused before any host is reached, naming it.
    const refused = await host.cli('plan', '--on', 'staging,prod', '--goal', 'boot');
    expect(refused.code, printed(refused)).toBe(2);
    expect(refused.stderr.trim()).toBe("clawdeploy: --goal boot: host 'staging' is a Home Manager profile; only NixOS hosts take a goal other than switch");
    const refusedApply = await host.cli('apply', '--on', 'staging,prod', '--goal', 'boot', '--yes');
    expect(refusedApply.code, printed(refusedApply)).toBe(2);
    expect(refusedApply.stderr.trim()).toBe(refused.stderr.trim());

    // A new build of prod: another user on its telegram (change() no longer matches: its token file was changed above).
    const file = join(host.flake.dir, 'flake.nix');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(tokenFile = "\/run\/secrets\/telegram-empty";\s*allowFrom = )\[[^\]]*\]/, '$1[ 12345678 87654321 22222222 ]'));
    const pid = gatewayPid(h);
    const planned = await host.cli('plan', '--on', 'prod', '--goal', 'boot', '--json');
    expect(planned.code, printed(planned)).toBe(0);
    expect((JSON.parse(planned.stdout) as { hosts: Array<{ plan: Plan }> }).hosts[0]!.plan.goal).toBe('boot');
    const r = await host.cli('apply', '--on', 'prod', '--goal', 'boot', '--yes', '--json');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stderr).toContain(`${SYSTEM}/bin/switch-to-configuration boot`);
    const json = JSON.parse(r.stdout) as { rollout: string; message: string; hosts: Array<{ host: string; outcome: string; after: { number: number } | null }> };
    expect(json.hosts).toMatchObject([{ host: 'prod', outcome: 'applied-for-next-boot' }]);
    expect(json.message).toMatch(/set for the next boot .*: prod$/);
    expect((await generations(h)).at(-1), printed(r)).toEqual([4, true]);
    expect(gatewayPid(h)).toBe(pid);
    const history = await runCli(['history', 'prod'], { env: host.env });
    expect(history.stdout).toMatch(new RegExp(`${json.rollout.slice(0, 8)}\\s+prod\\s+succeeded\\s+0/1 current, 1 for the next boot`));
    expect(history.stdout).toMatch(new RegExp(`apply\\s+applied-for-next-boot\\s+\\d+ -> 4 .*\\[rollout ${json.rollout.slice(0, 8)}\\]`));
  });

  it('a goal other than switch on a Home Manager host is a one-line error (exit 2)', async () => {
    const flake = await materializeFlake('f1-single-staging', { openclawRepo: repo, vars: { TARGET_staging: 'ssh://root@127.0.0.1:1', SECRETS_DIR: '/run/agenix' } });
    const r = await runCli(['plan', 'staging', '--goal', 'test', '--flake', flake.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("clawdeploy: --goal test: host 'staging' is a Home Manager profile; only NixOS hosts take a goal other than switch");
    const bad = await runCli(['apply', 'staging', '--goal', 'reboot', '--flake', flake.dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('clawdeploy: --goal reboot: expected switch, test, boot or dry-activate');
  });
});
