// A non-root deploy user (issue 12), on a netns host with users of its own: deploy-rs's `sshUser`
// `deploy` logs in, the Home Manager profile is `claw`'s and is changed through `sudo -n -u claw`;
// Nix is multi-user (a nix-daemon, `deploy` trusted), as on the hosts deploy-rs users run. Root
// never logs in. Without the sudoers rule, plan stops at once with one line and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, NIX_ENV, SECRET_FILES, tempDir, type MaterializedFlake } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';
import { printed, runCli } from '../helpers/cli.js';
import { must } from '../helpers/sshDeploy.js';

const PROFILE = '/nix/var/nix/profiles/per-user/claw/home';
const ATTRIBUTE = 'deploy.nodes.lab.profiles.home.path';
const SECRETS = ['openclaw-gateway-token', 'anthropic', 'telegram-staging'];
const RULE = 'deploy ALL=(claw) NOPASSWD: ALL';
const hosts = useTestHosts();
afterAll(() => cleanupFixtures());

let h: TestHost;
let flake: MaterializedFlake;
let gen1: string;
let env: Record<string, string>;
let repo: string;
const cli = (...args: string[]) => runCli(['--ssh-config', h.sshConfig, ...args, '--flake', flake.dir], { env });
/** Commands as claw, run by root on the host (for the test's own set-up and assertions). */
const asClaw = (argv: string[]) => must(h, ['sudo', '-n', '-u', 'claw', ...argv]);
/** Where claw's profile points, read on this machine (the host's /nix is rootDir/nix). */
const profileTarget = () => readlinkSync(join(h.rootDir, dirname(PROFILE), readlinkSync(join(h.rootDir, PROFILE))));
/** Logins sshd accepted so far, by user. */
const logins = () => {
  const log = readFileSync(join(dirname(h.sshConfig), 'sshd.log'), 'utf8');
  return [...log.matchAll(/Accepted publickey for (\S+)/g)].map((m) => m[1]!);
};
/** The uid the gateway runs as (its pid file is in claw's state dir; the host's /proc is its own). */
const gatewayUid = async () => {
  const pid = readFileSync(join(h.rootDir, 'home/claw/.openclaw/gateway.pid'), 'utf8').trim();
  return Number(await must(h, ['stat', '-c', '%u', `/proc/${pid}`]));
};

/** claw's profile on generation 1's build, set and activated by claw (through the daemon: claw cannot write the store). */
async function onGen1(on: TestHost = h) {
  await must(on, ['sudo', '-n', '-u', 'claw', 'nix-env', '--profile', PROFILE, '--set', gen1]);
  await must(on, ['sudo', '-n', '-u', 'claw', `${PROFILE}/activate`]);
}

/** A host with users: claw's secrets (agenix owner = "claw"), F12 pointed at it, generation 1 copied in (as root) and running. */
async function seedF12(on: TestHost): Promise<MaterializedFlake> {
  for (const s of SECRETS) {
    await on.writeFile(`/run/agenix/${s}`, SECRET_FILES[s]!, 0o400);
    await must(on, ['chown', 'claw:claw', `/run/agenix/${s}`]);
  }
  const f = await materializeFlake('f12-deploy-user-bump', { openclawRepo: repo, vars: { HOSTNAME: on.address, SECRETS_DIR: '/run/agenix' } });
  gen1 ??= await buildAt(f.dir, ATTRIBUTE, f.baseRev);
  await execa('nix', ['copy', '--no-check-sigs', '--to', on.transport.storeUrl!, gen1], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(on.transport) } });
  await onGen1(on);
  return f;
}

describe.skipIf(!hostsAvailable())('a non-root deploy user (sshUser deploy, profile of claw, sudo)', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo()).path;
    h = await hosts.create('du', { users: ['deploy', 'claw'], sudoers: [RULE], nixTrustedUsers: ['deploy'] });
    flake = await seedF12(h);
    env = { CLAWDEPLOY_STATE_DIR: tempDir('state') };
  }, 600_000);

  it('apply logs in as deploy only, switches claw’s profile through sudo, and claw’s gateway passes validation; rollback goes the same way', async () => {
    const rootLogins = logins().filter((u) => u === 'root').length;
    expect(await gatewayUid()).toBe(2002);

    const r = await cli('apply', 'lab', '--yes');
    expect(r.code, printed(r)).toBe(0);
    // The gateway's options were read (F12 names its configuration): the token authenticated the
    // checks and telegram was probed, as claw.
    expect(r.stdout).not.toContain('options-unread');
    expect(r.stdout).toMatch(/sudo -n -u claw openclaw-rpc channels\.status/);
    expect(r.stdout).toMatch(/every channel must probe "works": telegram/);
    expect(profileTarget()).not.toBe(gen1);
    expect(await asClaw(['nix-env', '--profile', PROFILE, '--list-generations'])).toMatch(/^\s*2\s.*\(current\)$/m);
    // The new gateway is claw's, and the store path came in as deploy's upload (deploy is trusted).
    expect(await gatewayUid()).toBe(2002);
    expect(statSync(join(h.rootDir, PROFILE)).uid).toBe(0); // the store path's owner: the daemon's
    // Everything clawdeploy did, it did as deploy: no new root login.
    expect(logins().filter((u) => u === 'root').length).toBe(rootLogins);
    expect(logins()).toContain('deploy');

    const history = await runCli(['history'], { env });
    expect(history.stdout).toMatch(/lab\s.*succeeded/);
    // The other reads and the drill go the same way: as deploy, claw's through sudo.
    const smoke = await cli('smoke', 'lab');
    expect(smoke.code, printed(smoke)).toBe(0);
    const status = await cli('status', 'lab');
    expect(status.code, printed(status)).toBe(0);
    expect(status.stdout).toMatch(/^\s*generation: 2 \/nix\/store\//m);
    const drill = await cli('drill', 'lab', '--yes');
    expect(drill.code, printed(drill)).toBe(0);
    expect(await gatewayUid()).toBe(2002);

    const back = await cli('rollback', 'lab', '--yes');
    expect(back.code, printed(back)).toBe(0);
    expect(profileTarget()).toBe(gen1);
    expect(await gatewayUid()).toBe(2002);
    expect(logins().filter((u) => u === 'root').length).toBe(rootLogins);
  }, 600_000);

  it("the README's narrow sudoers rule (exactly the commands run as claw) is enough for apply and rollback", async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const narrow = /^deploy ALL=\(claw\) NOPASSWD: \/usr\/bin\/nix-env.*$/m.exec(readme)![0].replace('/per-user/claw/openclaw/*', '/per-user/claw/home/*');
    const sudoers = join(h.rootDir, 'etc/sudoers');
    const text = readFileSync(sudoers, 'utf8');
    await onGen1();
    writeFileSync(sudoers, text.replace(`${RULE}\n`, `${narrow}\n`));
    try {
      // It is narrow: deploy may not run anything else as claw.
      const other = await h.run(['sudo', '-n', '-u', 'deploy', 'sudo', '-n', '-u', 'claw', 'id']);
      expect(other.exitCode).not.toBe(0);
      expect(other.stderr).toMatch(/a password is required|not allowed/);
      const before = profileTarget();
      const r = await cli('apply', 'lab', '--yes');
      expect(r.code, printed(r)).toBe(0);
      expect(profileTarget()).not.toBe(before);
      expect(await gatewayUid()).toBe(2002);
      const back = await cli('rollback', 'lab', '--yes');
      expect(back.code, printed(back)).toBe(0);
      expect(profileTarget()).toBe(before);
    } finally {
      writeFileSync(sudoers, text);
    }
  }, 600_000);

  it("a deploy user the host's Nix does not trust: the copy is refused, said in one line with the fix; nothing on the host changed", async () => {
    // Same users and sudoers, a nix-daemon that trusts only root.
    const u = await hosts.create('du2', { users: ['deploy', 'claw'], sudoers: [RULE], nixTrustedUsers: [] });
    const f = await seedF12(u);
    const generations = () => must(u, ['sudo', '-n', '-u', 'claw', 'nix-env', '--profile', PROFILE, '--list-generations']);
    const before = await generations();

    const r = await runCli(['--ssh-config', u.sshConfig, 'apply', 'lab', '--yes', '--flake', f.dir], { env: { CLAWDEPLOY_STATE_DIR: tempDir('state') } });
    expect(r.code, printed(r)).toBe(1);
    expect(printed(r)).toMatch(
      /host 'lab': its Nix refused the closure from 'deploy', who is not a trusted user there and the paths are not signed; add 'deploy' to trusted-users in the host's nix.conf/,
    );
    expect(await generations()).toBe(before);
  }, 600_000);

  it('without the sudoers rule, plan stops at once with one line naming the host and the fix; nothing changes', async () => {
    const sudoers = join(h.rootDir, 'etc/sudoers');
    const before = profileTarget();
    const text = readFileSync(sudoers, 'utf8');
    // In place: the host sees this file through a bind mount of its inode.
    writeFileSync(sudoers, text.replace(`${RULE}\n`, ''));
    try {
      const r = await cli('plan', 'lab');
      expect(r.code, printed(r)).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/host 'lab': 'deploy' may not run commands as 'claw' without a password \(sudo: a password is required\); add a NOPASSWD sudoers rule/);
      const a = await cli('apply', 'lab', '--yes');
      expect(a.code, printed(a)).toBe(2);
      expect(profileTarget()).toBe(before);
    } finally {
      writeFileSync(sudoers, text);
    }
  }, 300_000);
});
