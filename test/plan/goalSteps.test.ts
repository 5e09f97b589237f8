// The deterministic plan of each NixOS goal (issue 12): its steps, what validation and rollback
// mean for it, and the invariants a runbook or a model's proposal is held to for it.
import { describe, expect, it } from 'vitest';
import { makePlan, type Analysis } from '../../src/core/plan/planner.js';
import { planInvariants } from '../../src/core/plan/invariants.js';
import { planDifferences } from '../../src/core/plan/planDiff.js';
import { planHash } from '../../src/core/plan/hash.js';
import { runbookMarkdown } from '../../src/core/plan/runbook.js';
import type { Goal, Host } from '../../src/core/inventory/schema.js';
import type { Plan } from '../../src/core/plan/schema.js';
import { sshTestHost } from '../helpers/testHost.js';

const PROFILE = '/nix/var/nix/profiles/system';
const CUR = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-nixos-system-prod-26.05';
const NEXT = '/nix/store/1d8wz3nhp9f2zzr0frc7qxa7j2zgssm4-nixos-system-prod-26.05';
const CHECKS = ['gateway-status', 'gateway-health', 'http-check', 'channels-probe'];

const host: Host = sshTestHost({ name: 'prod', kind: 'nixos', profile: PROFILE, activate: 'bin/switch-to-configuration' });

function plan(goal: Goal | undefined, over: Partial<Analysis> = {}): Plan {
  return makePlan({
    host,
    ctx: { host, storeUrl: 'ssh://root@10.213.1.2', flakeDir: '/src/flake' },
    flake: { base: { rev: 'a'.repeat(40), source: 'git-head' }, target: { rev: 'b'.repeat(40), dirty: false }, lockHash: null },
    current: { number: 4, storePath: CUR },
    nextStorePath: NEXT,
    changes: [],
    findings: [],
    ...(goal ? { goal } : {}),
    ...over,
  });
}
const actions = (steps: Plan['steps'][keyof Plan['steps']]) => steps.map((s) => s.action);
const argvs = (steps: Plan['steps'][keyof Plan['steps']]) => steps.filter((s) => s.action.startsWith('activate') || s.action === 'dry-activate').map((s) => s.argv.join(' '));

describe('the steps of each goal', () => {
  // [goal, apply, the activations' argv, validate, rollback]
  it.each([
    [
      'switch',
      ['build', 'copy-closure', 'set-profile', 'activate'],
      [`${PROFILE}/bin/switch-to-configuration switch`],
      CHECKS,
      ['switch-generation', 'activate', ...CHECKS],
      [`${PROFILE}/bin/switch-to-configuration switch`],
    ],
    // The profile (the boot default) is not touched; rollback activates its generation again.
    ['test', ['build', 'copy-closure', 'activate-test'], [`${NEXT}/bin/switch-to-configuration test`], CHECKS, ['activate', ...CHECKS], [`${PROFILE}/bin/switch-to-configuration test`]],
    // Nothing restarts: no gateway validation; rollback makes generation 4 the boot default again.
    [
      'boot',
      ['build', 'copy-closure', 'set-profile', 'activate'],
      [`${PROFILE}/bin/switch-to-configuration boot`],
      [],
      ['switch-generation', 'activate'],
      [`${PROFILE}/bin/switch-to-configuration boot`],
    ],
    ['dry-activate', ['build', 'copy-closure', 'dry-activate'], [`${NEXT}/bin/switch-to-configuration dry-activate`], [], [], []],
  ] as const)('%s', (goal, apply, applyArgv, validate, rollback, rollbackArgv) => {
    const p = plan(goal);
    expect(p.status).toBe('ready');
    expect(actions(p.steps.apply)).toEqual(apply);
    expect(argvs(p.steps.apply)).toEqual(applyArgv);
    expect(actions(p.steps.validate)).toEqual(validate);
    expect(actions(p.steps.rollback)).toEqual(rollback);
    expect(argvs(p.steps.rollback)).toEqual(rollbackArgv);
    expect(p.goal).toBe(goal === 'switch' ? undefined : goal);
    // The deterministic plan holds the invariants of its own goal.
    expect(planInvariants(p.steps, p, host)).toEqual([]);
  });

  it('switch is the default, and a switch plan has no goal field: plans made before goals keep their hash', () => {
    const p = plan(undefined);
    expect(p).toEqual(plan('switch'));
    expect('goal' in p).toBe(false);
    expect(p.hash).toBe(planHash(p));
  });

  it('the goal is part of the plan: its hash, and a runbook planned again with another goal differs', () => {
    expect(new Set((['switch', 'test', 'boot', 'dry-activate'] as const).map((g) => plan(g).hash)).size).toBe(4);
    expect(planDifferences(plan('test'), plan('switch'))).toContain('the goal is test in the runbook, switch in a fresh plan');
    expect(planDifferences(plan('boot'), plan('boot'))).toEqual([]);
  });

  it('a runbook names the goal it was planned with (none for switch)', () => {
    expect(runbookMarkdown(plan('boot'), '/src/flake')).toContain('- Goal: **boot**');
    expect(runbookMarkdown(plan('switch'), '/src/flake')).not.toContain('- Goal:');
  });

  it('a local host copies nothing; a first deploy has no rollback, whatever the goal', () => {
    const local = plan('test', { ctx: { host, storeUrl: null, flakeDir: '/src/flake' } });
    expect(actions(local.steps.apply)).toEqual(['build', 'activate-test']);
    for (const goal of ['test', 'boot'] as const) expect(plan(goal, { current: null }).steps.rollback).toEqual([]);
  });

  it('nothing to deploy is nothing to deploy, whatever the goal', () => {
    for (const goal of ['test', 'boot', 'dry-activate'] as const) {
      const p = plan(goal, { nextStorePath: CUR });
      expect(p.status).toBe('no-change');
      expect(p.steps.apply).toEqual([]);
    }
  });

  it('the summary says what each goal does to the host', () => {
    expect(plan('test').summary.join('\n')).toMatch(/Goal test: applying activates the new build without making it the boot default.*stays on generation 4/);
    expect(plan('test').summary.join('\n')).toMatch(/If validation fails, generation 4 .* is activated again/);
    expect(plan('boot').summary.join('\n')).toMatch(/Goal boot: .*generation 5 of .* boot default; nothing restarts now/);
    expect(plan('boot').summary.join('\n')).toMatch(/no validation: the deploy is recorded as applied for the next boot/);
    expect(plan('dry-activate').summary.join('\n')).toMatch(/nothing is set or activated, and applying changes nothing/);
  });
});

describe('the invariants of each goal: what an edited runbook or a proposal may not do', () => {
  const without = (steps: Plan['steps'], phase: keyof Plan['steps'], action: string) => ({ ...steps, [phase]: steps[phase].filter((s) => s.action !== action) });
  const from = (goal: Goal) => plan(goal);
  const switchSteps = plan('switch').steps;

  it.each([
    // test must not move the boot default, and must activate the planned build itself.
    ['test', { ...from('test').steps, apply: switchSteps.apply }, /goal test: apply must not set the profile/],
    ['test', without(from('test').steps, 'apply', 'activate-test'), /goal test: apply must activate the planned build .* with activate-test, once/],
    ['test', { ...from('test').steps, rollback: switchSteps.rollback }, /goal test: rollback must not switch the profile/],
    ['test', without(from('test').steps, 'validate', 'channels-probe'), /validation must probe the channels/],
    // boot: activating with switch would restart the gateway nobody validates.
    ['boot', { ...from('boot').steps, apply: switchSteps.apply }, /goal boot: apply must activate with boot, not switch/],
    ['boot', { ...from('boot').steps, validate: switchSteps.validate }, /goal boot: there is no new gateway to validate/],
    ['boot', { ...from('boot').steps, rollback: switchSteps.rollback.slice(0, 2) }, /goal boot: rollback must activate the previous generation with boot/],
    // dry-activate changes nothing: no profile, no activation, no rollback.
    ['dry-activate', { ...from('dry-activate').steps, apply: switchSteps.apply }, /goal dry-activate: apply must not set the profile or activate anything/],
    ['dry-activate', { ...from('dry-activate').steps, rollback: switchSteps.rollback }, /goal dry-activate: nothing changes, so there must be no rollback steps/],
    // switch: a goal smuggled into the activation of a switch plan.
    ['switch', { ...switchSteps, apply: from('boot').steps.apply }, /goal switch: apply must activate with switch, not boot/],
    ['switch', { ...switchSteps, apply: [...from('test').steps.apply] }, /apply must set the profile exactly once/],
  ] as const)('%s: %s', (goal, steps, problem) => {
    expect(planInvariants(steps as Plan['steps'], from(goal), host).join('\n')).toMatch(problem);
  });
});
