// Switching a profile and activating it are one confirmed unit (issue 10, item 4): asked once,
// and an activation that does not happen puts the profile back, in apply, rollback and drill.
// Real local hosts: real builds, profiles and generations, the stand-in gateway.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { applyPlan } from '../../src/core/deploy/apply.js';
import { rollbackHost } from '../../src/core/deploy/rollback.js';
import { drillHost } from '../../src/core/deploy/drill.js';
import { preflight } from '../../src/core/preflight/preflight.js';
import { createLocalTransport } from '../../src/core/transport/local.js';
import { loadHost } from '../../src/core/inventory/load.js';
import { POLICY_FILE } from '../../src/core/exec/policy/load.js';
import { analyse, approveAll, approveFirstOnly, asOperator, currentGeneration, DENY_ACTIVATE, gatewayPid, inProcess } from './localDeploy.js';

const { make } = useLocalHosts();
const switching = (actions: string[]) => actions.filter((a) => ['set-profile', 'switch-generation', 'activate'].includes(a));

/** F3's host on generation 1 (OpenClaw 2026.6.10), with generation 2 (2026.6.11) deployed by apply. */
async function deployedTwice(): Promise<LocalHost> {
  const h = await make('f3-bump-openclaw', { seed: true });
  await applied(h);
  return h;
}

/** Applies the host's flake in process, every question approved; what was asked, in order. */
async function applied(h: LocalHost): Promise<ReturnType<typeof inProcess>['asked']> {
  const run = inProcess(h);
  try {
    const { plan, host } = await asOperator(h, () => analyse(h));
    const r = await asOperator(h, () => applyPlan({ plan, host: host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps));
    expect(r.outcome, r.message).toBe('succeeded');
    return run.asked;
  } finally {
    run.close();
  }
}

/** No drift and no half-switched finding: the profile's generation is the one that runs. */
async function consistent(h: LocalHost): Promise<string[]> {
  const host = await loadHost(h.flake.dir, 'staging');
  const state = await asOperator(h, () => preflight(host, createLocalTransport()));
  return state.findings.filter((f) => f.code.startsWith('drift') || f.code === 'half-switched').map((f) => f.message);
}

describe('switch and activate: one confirmed unit', () => {
  it('apply asks once for set-profile and activate, showing both commands', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const asked = (await applied(h)).filter((q) => switching([q.step.action]).length);
    expect(asked.map((q) => q.step.action)).toEqual(['set-profile']);
    expect(asked[0]!.command).toContain(`nix-env --profile ${h.profile} --set /nix/store/`);
    expect(asked[0]!.command).toContain(`&& ${h.profile}/activate`);
    expect(asked[0]!.step.reason).toMatch(/then activate it/);
    expect(await currentGeneration(h.profile)).toBe(2);
  });

  it('apply: an activation the policy denies puts the profile back; the running gateway is left alone (exit 3)', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    writeFileSync(join(h.flake.dir, POLICY_FILE), DENY_ACTIVATE);
    const pid = await gatewayPid(h);
    const run = inProcess(h);
    try {
      const { plan, host } = await asOperator(h, () => analyse(h));
      const r = await asOperator(h, () => applyPlan({ plan, host: host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps));
      expect(r.exitCode, r.message).toBe(3);
      expect(r.outcome).toBe('refused');
      expect(r.message).toMatch(/activate denied: denied by policy rule 'activation-freeze'.*; the profile was put back to generation 1, which still runs: the host is as before/);
      expect(await currentGeneration(h.profile)).toBe(1);
      // Nothing was activated: neither the new generation nor, again, the old one.
      expect(await gatewayPid(h)).toBe(pid);
      expect(await consistent(h)).toEqual([]);
      expect(run.records.history('staging', 1)[0]).toMatchObject({ outcome: 'refused', generationAfter: { number: 1 } });
    } finally {
      run.close();
    }
  });

  it('rollback asks once for the switch and the activation: a second question is never put', async () => {
    const h = await deployedTwice();
    const run = inProcess(h, { approver: approveFirstOnly() });
    try {
      const host = await loadHost(h.flake.dir, 'staging');
      const r = await asOperator(h, () => rollbackHost({ host, flakeDir: h.flake.dir, lastKnownGood: run.records.knownGood('staging') }, run.deps));
      expect(r.outcome, r.message).toBe('succeeded');
      expect(r.message).toMatch(/rolled staging back to generation 1, which is healthy/);
      expect(run.asked.map((q) => q.step.action)).toEqual(['switch-generation']);
      expect(run.asked[0]!.command).toMatch(/--switch-generation 1 && .*\/activate$/);
      expect(await currentGeneration(h.profile)).toBe(1);
      expect(await consistent(h)).toEqual([]);
    } finally {
      run.close();
    }
  });

  it('rollback and drill: an activation the policy denies puts the profile back on the generation that runs', async () => {
    const h = await deployedTwice();
    writeFileSync(join(h.flake.dir, POLICY_FILE), DENY_ACTIVATE);
    const pid = await gatewayPid(h);
    const run = inProcess(h, { approver: approveAll });
    try {
      const host = await loadHost(h.flake.dir, 'staging');
      const r = await asOperator(h, () => rollbackHost({ host, flakeDir: h.flake.dir, lastKnownGood: run.records.knownGood('staging') }, run.deps));
      expect(r.exitCode, r.message).toBe(3);
      expect(r.message).toMatch(/rollback denied at activate: .*activation-freeze.*; the profile was put back to generation 2, which still runs: the host is as before/);
      expect(await currentGeneration(h.profile)).toBe(2);
      expect(await consistent(h)).toEqual([]);

      const d = await asOperator(h, () => drillHost({ host, flakeDir: h.flake.dir, knownGood: run.records.knownGood('staging') }, run.deps));
      expect(d.outcome, d.message).toBe('failed');
      expect(d.message).toMatch(/drill denied at activate: .*; the profile was put back to generation 2, which still runs/);
      expect(await currentGeneration(h.profile)).toBe(2);
      expect(await gatewayPid(h)).toBe(pid);
      expect(await consistent(h)).toEqual([]);
    } finally {
      run.close();
    }
  });
});
