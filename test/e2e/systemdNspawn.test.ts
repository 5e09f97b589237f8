// The real-systemd tier: a systemd-nspawn container booted with systemd, reached over ssh, with
// its own /nix. Generations built here are copied in with `nix copy`, set on the profile and
// activated over ssh; the gateway then runs as what nix-openclaw makes of it: the Home Manager
// user unit `openclaw-gateway` (root's lingering user manager) and the NixOS system unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { realpathSync } from 'node:fs';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, NIX_ENV, SECRET_FILES, tempDir, type MaterializedFlake } from '../helpers/fixtures.js';
import { skipNspawn, useNspawnHosts, type NspawnHost } from '../helpers/nspawnHost.js';
import { realOpenclaw, requireRealOpenclaw, skipReal } from '../helpers/realOpenclaw.js';
import { printed, runCli } from '../helpers/cli.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';

const HM = 'homeConfigurations.staging.activationPackage';
const OS = 'nixosConfigurations.prod.config.system.build.toplevel';
const HM_PROFILE = '/nix/var/nix/profiles/per-user/root/home-manager';
const OS_PROFILE = '/nix/var/nix/profiles/system';
const HM_PORT = 18789;
const OS_PORT = 18790;
const HM_LOG = '/tmp/openclaw/openclaw-gateway.log';
const OS_LOG = '/var/lib/openclaw/logs/gateway.log';
const UNIT = 'openclaw-gateway';
const LISTENING = /\[gateway\] http server listening/g;

const REAL = realOpenclaw ? [{ version: '2026.9.6', real: { node: realOpenclaw.node, entry: realOpenclaw.entry } }] : [];
const hosts = useNspawnHosts();
afterAll(() => cleanupFixtures());

async function must(h: NspawnHost, argv: string[]): Promise<string> {
  const r = await h.run(argv);
  if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} on ${h.name} exited ${r.exitCode}: ${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

/** Polls until `probe` gives a value; fails naming `what` after `ms`. */
async function waitFor<T>(what: string, probe: () => Promise<T | null>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const systemctl = (scope: 'user' | 'system', ...args: string[]) => ['systemctl', ...(scope === 'user' ? ['--user'] : []), ...args];
const isActive = async (h: NspawnHost, scope: 'user' | 'system') => (await h.run(systemctl(scope, 'is-active', UNIT))).stdout.trim();
const mainPid = async (h: NspawnHost, scope: 'user' | 'system') => Number(await must(h, systemctl(scope, 'show', '-p', 'MainPID', '--value', UNIT)));
const countListening = async (h: NspawnHost, log: string) => ((await h.run(['cat', log])).stdout.match(LISTENING) ?? []).length;
const healthy = (h: NspawnHost, port: number, ms: number) =>
  waitFor(`/healthz on ${h.name}:${port}`, async () => ((await h.run(['curl', '-sf', `http://127.0.0.1:${port}/healthz`])).exitCode === 0 ? true : null), ms);
/** The running gateway's own status over RPC (`openclaw gateway call status`), with the host's token. */
async function gatewayStatus(h: NspawnHost, scope: 'user' | 'system'): Promise<{ runtimeVersion: string; pid: number }> {
  const script =
    scope === 'user'
      ? `OPENCLAW_GATEWAY_TOKEN=$(cat /run/agenix/openclaw-gateway-token) exec ${HM_PROFILE}/home-path/bin/openclaw gateway call status --json --port ${HM_PORT}`
      : `set -a; . /run/agenix/openclaw-prod.env; set +a; OPENCLAW_CONFIG_PATH=/etc/openclaw/openclaw.json exec ${OS_PROFILE}/sw/bin/openclaw gateway call status --json --port ${OS_PORT}`;
  return JSON.parse(await must(h, ['sh', '-c', script])) as { runtimeVersion: string; pid: number };
}
/** The version the unit's main process runs (the gateway answering is that process). */
async function runningVersion(h: NspawnHost, scope: 'user' | 'system'): Promise<string> {
  const s = await gatewayStatus(h, scope);
  expect(s.pid).toBe(await mainPid(h, scope));
  return s.runtimeVersion;
}
const generation = async (h: NspawnHost, profile: string) =>
  Number(
    (await must(h, ['nix-env', '--profile', profile, '--list-generations']))
      .split('\n')
      .find((l) => l.includes('(current)'))!
      .trim()
      .split(/\s+/)[0],
  );

/** Builds `attribute` here, copies its closure into the container, makes it the profile's next generation. */
async function ship(h: NspawnHost, flake: MaterializedFlake, attribute: string, profile: string, rev?: string): Promise<string> {
  const path = await buildAt(flake.dir, attribute, rev);
  await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, path], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
  await must(h, ['nix-env', '--profile', profile, '--set', path]);
  return path;
}

const activateHm = (h: NspawnHost) => must(h, [`${HM_PROFILE}/activate`]);
const switchOs = (h: NspawnHost) => must(h, [`${OS_PROFILE}/bin/switch-to-configuration`, 'switch']);

async function writeSecrets(h: NspawnHost): Promise<void> {
  for (const s of ['openclaw-gateway-token', 'anthropic', 'telegram-staging', 'openclaw-prod.env']) await h.writeFile(`/run/agenix/${s}`, SECRET_FILES[s]!, 0o600);
  // agenix would make it owned by `openclaw`, a user the first switch creates: readable for now.
  await h.writeFile('/run/agenix/telegram-prod', SECRET_FILES['telegram-prod']!, 0o644);
}

const flakeVars = (h: NspawnHost) => ({
  TARGET_staging: h.target,
  PROFILE_staging: HM_PROFILE,
  GATEWAY_PORT_staging: String(HM_PORT),
  TARGET_prod: h.target,
  PROFILE_prod: OS_PROFILE,
  GATEWAY_PORT_prod: String(OS_PORT),
  SECRETS_DIR: '/run/agenix',
});

describe.skipIf(skipNspawn())('real systemd hosts (systemd-nspawn)', () => {
  let repo: string;
  let h: NspawnHost;
  let flake: MaterializedFlake;

  beforeAll(async () => {
    repo = (await createOpenclawRepo({ extraVersions: REAL })).path;
    h = await hosts.create('sdn');
    console.log(`nspawn host ${h.name} booted in ${h.bootMs} ms`);
    flake = await materializeFlake('f8-systemd-bump', { openclawRepo: repo, vars: flakeVars(h) });
    await writeSecrets(h);
  });

  it('the container runs systemd as PID 1 with a lingering user manager for root, and its own /nix', async () => {
    expect(await must(h, ['cat', '/proc/1/comm'])).toBe('systemd');
    expect(['running', 'degraded']).toContain(await must(h, ['sh', '-c', 'systemctl is-system-running || true']));
    expect(await must(h, ['systemctl', 'is-active', 'user@0.service'])).toBe('active');
    expect(await must(h, ['hostname'])).toBe('sdn');
    expect(await must(h, ['sh', '-c', 'nix-store -q --requisites /nix/var/nix/profiles/* 2>/dev/null | wc -l'])).toBe('0');
  });

  it('Home Manager activation installs the user unit and restarts it: active, logging to its file, a new MainPID each time', async () => {
    const gen1 = await ship(h, flake, HM, HM_PROFILE, flake.baseRev);
    const out = await activateHm(h);
    expect(out).toMatch(/openclaw-gateway\.service restarted \(pid \d+, port 18789\)/);
    expect(await isActive(h, 'user')).toBe('active');
    // The unit is the generation's: linked from it, the wrapper as ExecStart, no [Install] (as upstream).
    expect(await must(h, ['readlink', '/root/.config/systemd/user/openclaw-gateway.service'])).toBe(`${gen1}/home-files/.config/systemd/user/openclaw-gateway.service`);
    const unit = await must(h, ['systemctl', '--user', 'cat', UNIT]);
    expect(unit).toContain(`ExecStart=${gen1}/home-path/bin/openclaw-gateway`);
    expect(unit).toMatch(/Restart=always\nRestartSec=1s/);
    expect(unit).not.toContain('[Install]');
    await healthy(h, HM_PORT, 30_000);
    expect(await runningVersion(h, 'user')).toBe('2026.6.10');
    const first = await mainPid(h, 'user');
    expect(first).toBeGreaterThan(0);
    await waitFor('the gateway in its log file', async () => ((await countListening(h, HM_LOG)) >= 1 ? true : null), 15_000);

    const before = await countListening(h, HM_LOG);
    await activateHm(h);
    expect(await isActive(h, 'user')).toBe('active');
    expect(await mainPid(h, 'user')).not.toBe(first);
    await waitFor('the restarted gateway in its log file', async () => ((await countListening(h, HM_LOG)) > before ? true : null), 15_000);
    await healthy(h, HM_PORT, 30_000);
  });

  it('Restart=always: systemd brings a killed gateway back', async () => {
    const pid = await mainPid(h, 'user');
    await must(h, ['kill', '-KILL', String(pid)]);
    const back = await waitFor(
      'a new MainPID',
      async () => {
        const p = await mainPid(h, 'user');
        return p > 0 && p !== pid ? p : null;
      },
      15_000,
    );
    expect(back).not.toBe(pid);
    await healthy(h, HM_PORT, 30_000);
  });

  it('a second generation goes live; --switch-generation 1 and activation bring the first back', async () => {
    const gen2 = await ship(h, flake, HM, HM_PROFILE);
    await activateHm(h);
    expect(await generation(h, HM_PROFILE)).toBe(2);
    await healthy(h, HM_PORT, 30_000);
    expect(await runningVersion(h, 'user')).toBe('2026.6.11');
    expect(await must(h, ['systemctl', '--user', 'cat', UNIT])).toContain(`ExecStart=${gen2}/home-path/bin/openclaw-gateway`);

    await must(h, ['nix-env', '--profile', HM_PROFILE, '--switch-generation', '1']);
    await activateHm(h);
    expect(await generation(h, HM_PROFILE)).toBe(1);
    expect(await isActive(h, 'user')).toBe('active');
    await healthy(h, HM_PORT, 30_000);
    expect(await runningVersion(h, 'user')).toBe('2026.6.10');
  });

  it('NixOS switch-to-configuration installs the system unit and restarts it, running as openclaw', async () => {
    const top1 = await ship(h, flake, OS, OS_PROFILE, flake.baseRev);
    expect(await switchOs(h)).toMatch(/openclaw-gateway\.service restarted \(pid \d+, port 18790\)/);
    expect(await isActive(h, 'system')).toBe('active');
    expect(await must(h, ['readlink', '/etc/systemd/system/openclaw-gateway.service'])).toBe(`${top1}/etc/systemd/system/openclaw-gateway.service`);
    const first = await mainPid(h, 'system');
    expect(await must(h, ['ps', '-o', 'user=', '-p', String(first)])).toBe('openclaw');
    await healthy(h, OS_PORT, 30_000);
    await waitFor('the gateway in its log file', async () => ((await countListening(h, OS_LOG)) >= 1 ? true : null), 15_000);
    // systemd read the environment file: the token reached the gateway (values never printed here).
    expect(await must(h, ['sh', '-c', `tr '\\0' '\\n' < /proc/${first}/environ | grep -c '^OPENCLAW_GATEWAY_TOKEN=' || true`])).toBe('1');

    await switchOs(h);
    expect(await isActive(h, 'system')).toBe('active');
    expect(await mainPid(h, 'system')).not.toBe(first);
  });

  it('NixOS: a second system generation, then --switch-generation 1 and switch go back', async () => {
    await ship(h, flake, OS, OS_PROFILE);
    await switchOs(h);
    await healthy(h, OS_PORT, 30_000);
    expect(await runningVersion(h, 'system')).toBe('2026.6.11');
    await must(h, ['nix-env', '--profile', OS_PROFILE, '--switch-generation', '1']);
    await switchOs(h);
    expect(await generation(h, OS_PROFILE)).toBe(1);
    expect(await isActive(h, 'system')).toBe('active');
    await healthy(h, OS_PORT, 30_000);
    expect(await runningVersion(h, 'system')).toBe('2026.6.10');
  });

  it('NixOS: a missing environment file fails the unit; the switch says so and exits 4', async () => {
    await must(h, ['mv', '/run/agenix/openclaw-prod.env', '/run/agenix/openclaw-prod.env.away']);
    try {
      const r = await h.run([`${OS_PROFILE}/bin/switch-to-configuration`, 'switch']);
      expect(r.exitCode, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/the following units failed: openclaw-gateway\.service/);
      expect(await isActive(h, 'system')).not.toBe('active');
    } finally {
      await must(h, ['mv', '/run/agenix/openclaw-prod.env.away', '/run/agenix/openclaw-prod.env']);
    }
    await switchOs(h);
    expect(await isActive(h, 'system')).toBe('active');
  });

  it('clawdeploy apply deploys to the systemd user unit over ssh (manager systemd-user)', async () => {
    const before = await mainPid(h, 'user');
    const env = { CLAWDEPLOY_STATE_DIR: tempDir('state') };
    const r = await runCli(['--ssh-config', h.sshConfig, 'apply', 'staging', '--yes', '--flake', flake.dir], { env });
    expect(r.code, printed(r)).toBe(0);
    // Generation 2 already holds this closure: clawdeploy switches to it rather than adding a copy.
    const deployed = Number(/deployed staging: generation (\d+) is healthy/.exec(r.stdout)?.[1]);
    expect(deployed).toBeGreaterThan(1);
    expect(r.stdout).toMatch(/ok +openclaw-gateway is active/);
    expect(await generation(h, HM_PROFILE)).toBe(deployed);
    expect(await isActive(h, 'user')).toBe('active');
    expect(await mainPid(h, 'user')).not.toBe(before);
    expect(await runningVersion(h, 'user')).toBe('2026.6.11');
  }, 300_000);
});

describe.skipIf(skipNspawn() || skipReal)('the real OpenClaw gateway as the systemd user unit', () => {
  it('activation starts the real gateway under systemd: active, /healthz answers, its output in the log file', async () => {
    const real = requireRealOpenclaw();
    const repo = (await createOpenclawRepo({ extraVersions: REAL })).path;
    const h = await hosts.create('sdr');
    const flake = await materializeFlake('f8-systemd-real', { openclawRepo: repo, vars: flakeVars(h) });
    await h.writeFile('/run/agenix/openclaw-gateway-token', SECRET_FILES['openclaw-gateway-token']!, 0o600);
    await ship(h, flake, HM, HM_PROFILE);
    const started = Date.now();
    await activateHm(h);
    expect(await isActive(h, 'user')).toBe('active');
    // The real gateway takes 20-60 s to answer on 2 cores.
    await healthy(h, HM_PORT, 180_000);
    console.log(`real gateway healthy ${Date.now() - started} ms after activation`);
    expect(await isActive(h, 'user')).toBe('active');
    const pid = await mainPid(h, 'user');
    expect(await must(h, ['readlink', `/proc/${pid}/exe`])).toBe(realpathSync(real.node));
    // The real gateway prints the same start line as the stand-in (docs/openclaw-surface-notes.md).
    await waitFor('the real gateway in its log file', async () => ((await countListening(h, HM_LOG)) >= 1 ? true : null), 30_000);
  }, 400_000);
});
