// Who logs in, who owns the profile and how the host is reached, read as deploy-rs reads them
// (real Nix, F11: no inputs, nothing built, no host contacted).
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { cleanupFixtures, materializeFlake } from '../helpers/fixtures.js';
import { loadInventory } from '../../src/core/inventory/load.js';
import { validateAction } from '../../src/core/plan/catalog.js';
import { optionsUnread } from '../../src/core/pipeline/optionsUnread.js';
import type { Host } from '../../src/core/inventory/schema.js';

afterAll(() => cleanupFixtures());

async function f11(edit: (text: string) => string = (t) => t) {
  const flake = await materializeFlake('f11-deploy-users', {});
  const path = join(flake.dir, 'flake.nix');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  await execa('git', ['-C', flake.dir, 'add', '-A']);
  return flake.dir;
}

const facts = (h: Host) => ({
  target: h.target,
  kind: h.kind,
  profile: h.profile,
  activate: h.activate,
  runAs: h.runAs ?? null,
  sshOpts: h.sshOpts ?? [],
  activationTimeoutSec: h.activationTimeoutSec ?? null,
  confirmTimeoutSec: h.confirmTimeoutSec ?? null,
});

describe('deploy-rs users, sudo, sshOpts and timeouts in the inventory', () => {
  it('resolves every host as deploy-rs would deploy it', async () => {
    const inv = await loadInventory(await f11());
    const by = Object.fromEntries(inv.hosts.map((h) => [h.name, facts(h)]));
    const top = '-oStrictHostKeyChecking=accept-new';
    expect(by).toEqual({
      lab: {
        target: 'ssh://deploy@lab.fleet.invalid',
        kind: 'profile',
        profile: '/nix/var/nix/profiles/per-user/claw/openclaw',
        activate: 'activate',
        runAs: { user: 'claw', sudo: ['doas', '-u'] },
        sshOpts: ['-p', '2222'],
        activationTimeoutSec: 90,
        confirmTimeoutSec: 200,
      },
      own: {
        target: 'ssh://claw@own.fleet.invalid',
        kind: 'profile',
        profile: '/nix/var/nix/profiles/per-user/claw/openclaw',
        activate: 'activate',
        runAs: null,
        sshOpts: [],
        activationTimeoutSec: null,
        confirmTimeoutSec: null,
      },
      // root's "system" is the NixOS system profile; deploy logs in and sudoes to root.
      'edge.system': {
        target: 'ssh://deploy@edge.fleet.invalid',
        kind: 'nixos',
        profile: '/nix/var/nix/profiles/system',
        activate: 'bin/switch-to-configuration',
        runAs: { user: 'root', sudo: ['sudo', '-u'] },
        sshOpts: ['-p', '2121', top],
        activationTimeoutSec: 600,
        confirmTimeoutSec: 60,
      },
      // The profile's own settings first: its sudo, its sshOpts before the node's and the top level's.
      'edge.openclaw': {
        target: 'ssh://deploy@edge.fleet.invalid',
        kind: 'profile',
        profile: '/nix/var/nix/profiles/per-user/claw/openclaw',
        activate: 'deploy-rs-activate',
        runAs: { user: 'claw', sudo: ['doas', '-u'] },
        sshOpts: ['-i', '/etc/keys/claw', '-p', '2121', top],
        activationTimeoutSec: null,
        confirmTimeoutSec: 60,
      },
      'edge.home': {
        target: 'ssh://deploy@edge.fleet.invalid',
        kind: 'home-manager',
        profile: '/nix/var/nix/profiles/per-user/claw/home',
        activate: 'activate',
        runAs: { user: 'claw', sudo: ['sudo', '-u'] },
        sshOpts: ['-p', '2121', top],
        activationTimeoutSec: null,
        confirmTimeoutSec: 60,
      },
      'edge.pinned': {
        target: 'ssh://deploy@edge.fleet.invalid',
        kind: 'profile',
        profile: '/home/claw/.local/state/nix/profiles/pinned',
        activate: 'deploy-rs-activate',
        runAs: { user: 'claw', sudo: ['sudo', '-u'] },
        sshOpts: ['-p', '2121', top],
        activationTimeoutSec: null,
        confirmTimeoutSec: 60,
      },
      // user defaults to sshUser: no sudo.
      owned: {
        target: 'ssh://claw@owned.fleet.invalid',
        kind: 'profile',
        profile: '/nix/var/nix/profiles/per-user/claw/openclaw',
        activate: 'deploy-rs-activate',
        runAs: null,
        sshOpts: [top],
        activationTimeoutSec: null,
        confirmTimeoutSec: 60,
      },
      // claw's profile "system" lands in claw's per-user directory: not a NixOS system.
      named: {
        target: 'ssh://root@named.fleet.invalid',
        kind: 'profile',
        profile: '/nix/var/nix/profiles/per-user/claw/system',
        activate: 'deploy-rs-activate',
        runAs: { user: 'claw', sudo: ['sudo', '-u'] },
        sshOpts: [top],
        activationTimeoutSec: null,
        confirmTimeoutSec: 60,
      },
    });
  });

  it('the profile-changing and activation commands of an inventory host run through its sudo, non-interactive', async () => {
    const inv = await loadInventory(await f11());
    const host = inv.hosts.find((h) => h.name === 'edge.openclaw')!;
    const ctx = { host, storeUrl: 'ssh://deploy@edge.fleet.invalid', flakeDir: '/x' };
    const v = validateAction('activate', { profile: host.profile }, ctx);
    expect(v.ok && v.argv).toEqual(['doas', '-n', '-u', 'claw', 'env', `PROFILE=${host.profile}`, `${host.profile}/deploy-rs-activate`]);
  });

  it('without sshUser, deploy-rs logs in as whoever runs it, and sudoes when that is not the user', async () => {
    const me = userInfo().username;
    const inv = await loadInventory(await f11((t) => t.replace('sshUser = "root"; user = "claw";', 'user = "claw";')));
    const named = inv.hosts.find((h) => h.name === 'named')!;
    expect(named.target).toBe(`ssh://${me}@named.fleet.invalid`);
    expect(named.runAs ?? null).toEqual(me === 'claw' ? null : { user: 'claw', sudo: ['sudo', '-u'] });
  });

  it('a profile with neither user nor sshUser is refused, as deploy-rs refuses it', async () => {
    const dir = await f11((t) => t.replace('sshUser = "root"; user = "claw";', ''));
    await expect(loadInventory(dir)).rejects.toThrow(/deploy\.nodes\.named\.profiles\.system: neither `user` nor `sshUser` is set/);
  });

  it('an ssh option with a space is named with the field, since NIX_SSHOPTS splits on whitespace', async () => {
    const dir = await f11((t) => t.replace('sshOpts = [ "-p" "2222" ];', 'sshOpts = [ "-p 2222" ];'));
    await expect(loadInventory(dir)).rejects.toThrow(/clawdeploy\.hosts\.lab\.sshOpts\.0: must be one ssh argument without spaces/);
  });

  it('sshUser that contradicts the target names both', async () => {
    const dir = await f11((t) => t.replace('target = "ssh://lab.fleet.invalid";', 'target = "ssh://ops@lab.fleet.invalid";'));
    await expect(loadInventory(dir)).rejects.toThrow(/clawdeploy\.hosts\.lab\.sshUser: 'deploy' differs from the user of the target ssh:\/\/ops@lab\.fleet\.invalid/);
  });

  it('a sudo with shell syntax is refused: it is split into argv, never given to a shell', async () => {
    const dir = await f11((t) => t.replace('sudo = "doas -u";\n          sshOpts', 'sudo = "sudo -u $(id)";\n          sshOpts'));
    await expect(loadInventory(dir)).rejects.toThrow(/clawdeploy\.hosts\.lab\.sudo: must be a command like "sudo -u"/);
  });
  it("a deploy-rs Home Manager profile's options are unread until its configuration is named: the plan says so (F12's e2e names it)", async () => {
    const hosts = (await loadInventory(await f11())).hosts;
    const home = hosts.find((h) => h.name === 'edge.home')!;
    expect(home.kind).toBe('home-manager');
    expect(optionsUnread(home)).toMatchObject({ code: 'options-unread', severity: 'warn', fix: expect.stringContaining('configAttribute = "homeConfigurations.NAME.config"') });
    // A plain profile has no options to read: nothing to say.
    expect(optionsUnread(hosts.find((h) => h.name === 'edge.openclaw')!)).toBeNull();
  });
});
