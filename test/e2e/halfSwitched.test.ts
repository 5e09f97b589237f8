// A half-switched host (issue 10, item 4): the profile points at a generation that was never
// activated while the one before it still runs, as a declined or failed activation (or a deploy
// killed between the two) left it. It is recognised as such, not as drift, and both ways out
// work as the finding says: `apply` activates, `rollback --to` puts the profile back.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NIX_ENV } from '../helpers/fixtures.js';
import { HM_ATTR, useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { printed } from '../helpers/cli.js';
import { buildAt } from '../../src/demo/seed.js';
import type { Finding, Plan } from '../../src/core/plan/schema.js';

const { make } = useLocalHosts();

async function currentGeneration(profile: string): Promise<number> {
  const r = await execa('nix-env', ['--profile', profile, '--list-generations'], { env: NIX_ENV });
  return Number(
    r.stdout
      .split('\n')
      .find((l) => l.includes('(current)'))
      ?.trim()
      .split(/\s+/)[0],
  );
}

/** Generation 1 (the base revision) runs; the profile is switched to the working tree's build, never activated. */
async function halfSwitched(h: LocalHost): Promise<void> {
  const next = await buildAt(h.flake.dir, HM_ATTR);
  await execa('nix-env', ['--profile', h.profile, '--set', next], { env: NIX_ENV });
  expect(await currentGeneration(h.profile)).toBe(2);
}

async function plan(h: LocalHost): Promise<Plan> {
  const r = await h.cli('plan', 'staging', '--json');
  expect([0, 3], printed(r)).toContain(r.code);
  return JSON.parse(r.stdout) as Plan;
}

const blockingOrDrift = (p: Plan) => p.findings.filter((f) => f.severity === 'block' || f.code.startsWith('drift') || f.code === 'half-switched');

describe('a half-switched host', () => {
  it("another openclaw runs: recognised (not drift), shown by status, and apply activates the profile's generation", async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    await halfSwitched(h);

    const p = await plan(h);
    expect(p.status).toBe('ready');
    const half = p.findings.find((f) => f.code === 'half-switched');
    expect(half?.message).toMatch(/points at generation 2, but generation 1 is active \(its config is live and its openclaw runs\)/);
    expect(half?.fix).toMatch(/`clawdeploy apply staging` activates .*`clawdeploy rollback staging --to 1` puts the profile back on generation 1/);
    expect(p.findings.filter((f) => f.code.startsWith('drift'))).toEqual([]);
    // The deploy starts from what runs: its rollback returns to generation 1.
    expect(p.generations.current?.number).toBe(1);
    expect(p.steps.rollback[0]).toMatchObject({ action: 'switch-generation', args: { generation: 1 } });

    const status = await h.cli('status', 'staging');
    expect(status.stdout).toMatch(/HALF-SWITCHED: half-switched: .* points at generation 2, but generation 1 is active/);

    const applied = await h.cli('apply', 'staging', '--yes');
    expect(applied.code, printed(applied)).toBe(0);
    expect(applied.stdout).toMatch(/deployed staging: generation 2 is healthy/);
    expect(await currentGeneration(h.profile)).toBe(2);
    const after = await plan(h);
    expect(after.status).toBe('no-change');
    expect(blockingOrDrift(after)).toEqual([]);
  });

  it('another config is live: recognised, and the rollback the finding names puts the profile back', async () => {
    const h = await make('f1-single-staging', { seed: true });
    // A config change only (the same openclaw): the live config tells the generations apart.
    const flakeNix = join(h.flake.dir, 'flake.nix');
    writeFileSync(flakeNix, readFileSync(flakeNix, 'utf8').replace('allowFrom = [ 12345678 ];', 'allowFrom = [ 12345678 87654321 ];'));
    await halfSwitched(h);

    const p = await plan(h);
    const half = p.findings.find((f): f is Finding => f.code === 'half-switched');
    expect(half?.message).toMatch(/points at generation 2, but generation 1 is active \(its config is live and its openclaw runs\)/);
    expect(p.findings.filter((f) => f.code.startsWith('drift'))).toEqual([]);
    expect(p.changes.some((c) => c.kind === 'config')).toBe(true);

    // Run the fix as written.
    const command = half!.fix!.match(/`clawdeploy (rollback [^`]+)`/)![1]!.split(' ');
    const rb = await h.cli(command[0]!, ...command.slice(1), '--yes');
    expect(rb.code, printed(rb)).toBe(0);
    expect(rb.stdout).toMatch(/rolled staging back to generation 1, which is healthy/);
    expect(await currentGeneration(h.profile)).toBe(1);
    const after = await plan(h);
    expect(after.status).toBe('ready');
    expect(blockingOrDrift(after)).toEqual([]);
  });
});
