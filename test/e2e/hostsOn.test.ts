// `clawdeploy hosts --on SELECTOR` through the built CLI, on F9 (a tagged fleet in both
// inventory schemas, real Nix, no host contacted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupFixtures, materializeFlake } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { oneLineError } from '../helpers/oneLineError.js';

let dir: string;
beforeAll(async () => {
  dir = (await materializeFlake('f9-tagged-fleet', {})).dir;
});
afterAll(() => cleanupFixtures());

const hosts = (...args: string[]) => runCli(['hosts', '--flake', dir, ...args]);
/** The HOST column of the table. */
const column = (stdout: string) =>
  stdout
    .split('\n')
    .slice(2)
    .map((l) => l.split(/\s+/)[0]);

describe('hosts --on', () => {
  it('lists every host with its tags when no selector is given', async () => {
    const r = await hosts();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^HOST\s+ENV\s+KIND\s+TARGET\s+PORT\s+CHANNELS\s+TAGS\s+PROFILE$/);
    expect(column(r.stdout)).toEqual(['eu-north', 'eu-west', 'lab', 'us-east', 'edge1.openclaw', 'edge1.system', 'edge2']);
    expect(r.stdout).toMatch(/^eu-north\s.*\seu,canary\s+\/nix\/var/m);
    expect(r.stdout).toMatch(/^lab\s.*\s-\s+\/nix\/var/m);
  });

  it('selects by tag, glob and name, in inventory order, each host once', async () => {
    const r = await hosts('--on', 'eu-*,@canary,eu-west');
    expect(r.code, r.stderr).toBe(0);
    expect(column(r.stdout)).toEqual(['eu-north', 'eu-west', 'edge1.openclaw', 'edge1.system']);
  });

  it('--json: the selected hosts with their tags, deploy-rs profiles by node.profile', async () => {
    const r = await hosts('--on', 'edge1.*,edge2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const selected = JSON.parse(r.stdout) as Array<{ name: string; source: string; tags: string[] }>;
    expect(selected.map((h) => [h.name, h.source, h.tags])).toEqual([
      ['edge1.openclaw', 'deploy.nodes', ['edge', 'canary']],
      ['edge1.system', 'deploy.nodes', ['edge', 'canary']],
      ['edge2', 'deploy.nodes', []],
    ]);
  });

  it('a selector that matches nothing, a malformed one or an empty one: one line naming the term, exit 2, nothing listed', async () => {
    const cases: Array<[string, RegExp]> = [
      ['us-*,ap-*', /^clawdeploy: --on: 'ap-\*' matches no host \(hosts: eu-north, eu-west, lab, us-east, edge1\.openclaw, edge1\.system, edge2\)$/],
      ['@edge,@asia', /^clawdeploy: --on: '@asia' matches no host \(tags: canary, edge, eu\)$/],
      ['eu-[', /^clawdeploy: --on: 'eu-\[' is not a host name, glob or @tag /],
      ['@', /^clawdeploy: --on: '@' is not a valid tag /],
      ['', /^clawdeploy: --on: empty selector /],
    ];
    for (const [selector, pattern] of cases) {
      const r = await hosts('--on', selector);
      oneLineError(r, 2, pattern);
      expect(r.stdout).toBe('');
    }
  });
});
