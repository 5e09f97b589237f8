// Building on the target (deploy-rs's remoteBuild, issue 12): the step that builds in the host's
// store, the plan that copies no closure from here, and the invariants that keep it so.
import { describe, expect, it } from 'vitest';
import { makePlan, type Analysis } from '../../src/core/plan/planner.js';
import { planInvariants } from '../../src/core/plan/invariants.js';
import { planDifferences } from '../../src/core/plan/planDiff.js';
import { validateAction } from '../../src/core/plan/catalog.js';
import { targetStore } from '../../src/core/nix/remoteBuild.js';
import type { Plan } from '../../src/core/plan/schema.js';
import { sshTestHost } from '../helpers/testHost.js';

const CUR = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';
const NEXT = '/nix/store/1d8wz3nhp9f2zzr0frc7qxa7j2zgssm4-home-manager-generation';
const host = sshTestHost();
const ssh = { host, storeUrl: 'ssh://root@10.213.1.2', flakeDir: '/src/flake' };

function plan(over: Partial<Analysis> = {}): Plan {
  return makePlan({
    host,
    ctx: ssh,
    flake: { base: { rev: 'a'.repeat(40), source: 'git-head' }, target: { rev: 'b'.repeat(40), dirty: false }, lockHash: null },
    current: { number: 4, storePath: CUR },
    nextStorePath: NEXT,
    changes: [],
    findings: [],
    buildOnTarget: true,
    ...over,
  });
}

describe('the build-on-target step', () => {
  it("builds in the host's ssh-ng store, evaluated here (Nix 2.8's --eval-store auto)", () => {
    const v = validateAction('build-on-target', { attribute: host.attribute }, ssh);
    expect(v.ok && v.argv).toEqual([
      'nix',
      '--extra-experimental-features',
      'nix-command flakes',
      'build',
      '--eval-store',
      'auto',
      '--store',
      'ssh-ng://root@10.213.1.2',
      '--no-link',
      '--json',
      `/src/flake#${host.attribute}`,
    ]);
    // It adds to the host's store: a change a person approves, as copying a closure is.
    expect(v.ok && [v.spec.on, v.spec.risk, v.spec.effect]).toEqual(['local', 'mutate', 'prepares']);
  });

  it('refuses a local host (it builds here) and another attribute than a flake attribute path', () => {
    const local = validateAction('build-on-target', { attribute: host.attribute }, { ...ssh, storeUrl: null });
    expect(local.ok ? local.argv : local.reason).toBe("build-on-target: host 'staging' is local: it builds here");
    const bad = validateAction('build-on-target', { attribute: 'x; rm -rf /' }, ssh);
    expect(bad.ok).toBe(false);
  });

  it.each([
    ['ssh://root@10.213.1.2', 'ssh-ng://root@10.213.1.2'],
    ['ssh://deploy@gw.example.org', 'ssh-ng://deploy@gw.example.org'],
  ])('the store of %s is %s', (url, store) => expect(targetStore(url)).toBe(store));
});

describe('a plan that builds on the target', () => {
  it('builds there instead of building here and copying: no copy-closure step', () => {
    const p = plan();
    expect(p.buildOnTarget).toBe(true);
    expect(p.steps.apply.map((s) => s.action)).toEqual(['build-on-target', 'set-profile', 'activate']);
    expect(planInvariants(p.steps, p, host)).toEqual([]);
    expect(plan({ goal: undefined, buildOnTarget: false }).steps.apply.map((s) => s.action)).toEqual(['build', 'copy-closure', 'set-profile', 'activate']);
  });

  it('a local host builds here whatever the inventory says: no flag in the plan', () => {
    const p = plan({ ctx: { ...ssh, storeUrl: null } });
    expect(p.buildOnTarget).toBeUndefined();
    expect(p.steps.apply.map((s) => s.action)).toEqual(['build', 'set-profile', 'activate']);
  });

  it('goes with the NixOS goals', () => {
    const nixos = sshTestHost({ kind: 'nixos', profile: '/nix/var/nix/profiles/system', activate: 'bin/switch-to-configuration' });
    const p = plan({ host: nixos, ctx: { ...ssh, host: nixos }, goal: 'test' });
    expect(p.steps.apply.map((s) => s.action)).toEqual(['build-on-target', 'activate-test']);
    expect(planInvariants(p.steps, p, nixos)).toEqual([]);
  });

  it('invariants: a plan that builds on the host may not build here or copy a closure from here, nor the reverse', () => {
    const here = plan({ buildOnTarget: false });
    expect(planInvariants(here.steps, plan(), host)).toContain('the plan builds on the host: apply must not build here or copy a closure from here');
    expect(planInvariants(plan().steps, here, host)).toContain('the plan builds here: apply must not build on the host');
    const other = { ...plan().steps, apply: plan().steps.apply.map((s) => (s.action === 'build-on-target' ? { ...s, args: { attribute: 'packages.x86_64-linux.other' } } : s)) };
    expect(planInvariants(other, plan(), host)).toContain(`apply may only build the host's attribute ${host.attribute}, not packages.x86_64-linux.other`);
  });

  it('where the build runs is part of the plan: a runbook planned again elsewhere differs', () => {
    expect(planDifferences(plan(), plan({ buildOnTarget: false }))).toContain('the runbook builds on the host, a fresh plan here');
  });
});
