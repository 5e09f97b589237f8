// deploy-rs's remoteBuild (node or profile, profile first, as its other settings) and
// clawdeploy.hosts.<name>.buildOnTarget, read from a real flake (F11: nothing built or contacted).
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, materializeFlake } from '../helpers/fixtures.js';
import { loadInventory } from '../../src/core/inventory/load.js';

afterAll(() => cleanupFixtures());

async function f11(edit: (text: string) => string) {
  const flake = await materializeFlake('f11-deploy-users', {});
  const path = join(flake.dir, 'flake.nix');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  await execa('git', ['-C', flake.dir, 'add', '-A']);
  return flake.dir;
}

describe('build on target in the inventory', () => {
  it('deploy-rs remoteBuild on a node, overridden by a profile; clawdeploy.hosts buildOnTarget', async () => {
    const dir = await f11((t) =>
      t
        .replace('sshOpts = [ "-p" "2121" ];', 'sshOpts = [ "-p" "2121" ]; remoteBuild = true;')
        .replace('profiles.home = { user = "claw";', 'profiles.home = { user = "claw"; remoteBuild = false;')
        .replace('own = plain // { target = "ssh://claw@own.fleet.invalid"; user = "claw"; };', 'own = plain // { target = "ssh://claw@own.fleet.invalid"; user = "claw"; buildOnTarget = true; };'),
    );
    const inv = await loadInventory(dir);
    const on = Object.fromEntries(inv.hosts.map((h) => [h.name, h.buildOnTarget ?? false]));
    expect(on).toMatchObject({ own: true, lab: false, 'edge.system': true, 'edge.openclaw': true, 'edge.pinned': true, 'edge.home': false, owned: false, named: false });
  });

  it('a goal on a host that is not NixOS is an error naming the field', async () => {
    const dir = await f11((t) =>
      t.replace('own = plain // { target = "ssh://claw@own.fleet.invalid"; user = "claw"; };', 'own = plain // { target = "ssh://claw@own.fleet.invalid"; user = "claw"; goal = "boot"; };'),
    );
    await expect(loadInventory(dir)).rejects.toThrow(/clawdeploy\.hosts\.own\.goal: boot needs kind "nixos" \(a plain profile only switches\)/);
  });
});
