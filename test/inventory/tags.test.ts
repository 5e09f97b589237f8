// Tags come through from both inventory schemas (real Nix, F9: no inputs, nothing built):
// `clawdeploy.hosts.<name>.tags`, and deploy-rs's `deploy.nodes.<node>.clawdeploy.tags`.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, materializeFlake } from '../helpers/fixtures.js';
import { loadInventory } from '../../src/core/inventory/load.js';

afterAll(() => cleanupFixtures());

/** F9 with flake.nix edited (and staged, so Nix sees it). */
async function f9(edit: (text: string) => string = (t) => t) {
  const flake = await materializeFlake('f9-tagged-fleet', {});
  const path = join(flake.dir, 'flake.nix');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  await execa('git', ['-C', flake.dir, 'add', '-A']);
  return flake.dir;
}

describe('tags in the inventory', () => {
  it('come from clawdeploy.hosts and from every profile of a deploy-rs node; none is an empty list', async () => {
    const inv = await loadInventory(await f9());
    expect(inv.hosts.map((h) => [h.name, h.source, h.tags])).toEqual([
      ['eu-north', 'clawdeploy.hosts', ['eu', 'canary']],
      ['eu-west', 'clawdeploy.hosts', ['eu', 'edge']],
      ['lab', 'clawdeploy.hosts', []],
      ['us-east', 'clawdeploy.hosts', ['edge']],
      ['edge1.openclaw', 'deploy.nodes', ['edge', 'canary']],
      ['edge1.system', 'deploy.nodes', ['edge', 'canary']],
      ['edge2', 'deploy.nodes', []],
    ]);
  });

  it('a tag written twice is kept once', async () => {
    const inv = await loadInventory(await f9((t) => t.replace('[ "edge" "canary" ]', '[ "edge" "canary" "edge" ]')));
    expect(inv.hosts.find((h) => h.name === 'edge1.system')?.tags).toEqual(['edge', 'canary']);
  });

  it('a bad tag in clawdeploy.hosts names the host, the field and the rule', async () => {
    const dir = await f9((t) => t.replace('host "us-east" [ "edge" ]', 'host "us-east" [ "edge" "not a tag" ]'));
    await expect(loadInventory(dir)).rejects.toThrow(/clawdeploy\.hosts\.us-east\.tags\.1: must be a tag like "canary"/);
  });

  it("a bad tag on a deploy-rs node is named under the node's clawdeploy attribute, where it was written", async () => {
    const dir = await f9((t) => t.replace('clawdeploy.tags = [ "edge" "canary" ];', 'clawdeploy.tags = [ "edge" "-canary" ];'));
    await expect(loadInventory(dir)).rejects.toThrow(/deploy\.nodes\.edge1\.clawdeploy\.tags\.1: must be a tag like "canary"/);
  });
});
