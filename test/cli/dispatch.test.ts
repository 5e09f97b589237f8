// Which command `plan` and `apply` run (one host or a fleet), what each is given, and the flags
// that do not go together, each a one-line error (exit 2). No command runs: routing only.
import { describe, expect, it } from 'vitest';
import { routeApply, routePlan } from '../../src/cli/commands/dispatch.js';
import { fleetGoalProblem } from '../../src/core/fleet/goal.js';
import { ExitCode, UserError } from '../../src/core/errors.js';

const F = { flake: '.' };

describe('plan: one host or --on', () => {
  it('routes to the fleet plan with its flags, --goal included', () => {
    expect(routePlan(undefined, { ...F, on: '@edge', parallel: '2', canary: '1', json: true, runbook: 'r.md', goal: 'boot' }, 'ssh.conf')).toEqual({
      to: 'fleet',
      opts: { flake: '.', on: '@edge', parallel: '2', canary: '1', json: true, runbook: 'r.md', goal: 'boot', sshConfig: 'ssh.conf' },
    });
    expect(routePlan(undefined, { ...F, on: '@edge' }, undefined)).toMatchObject({ to: 'fleet', opts: { on: '@edge' } });
    expect((routePlan(undefined, { ...F, on: '@edge' }, undefined) as { opts: object }).opts).not.toHaveProperty('goal');
  });

  it('routes one host to plan HOST without the fleet flags', () => {
    expect(routePlan('lab', { ...F, base: 'HEAD~1', goal: 'test', buildOnTarget: true, explain: true }, undefined)).toEqual({
      to: 'single',
      host: 'lab',
      opts: { flake: '.', base: 'HEAD~1', goal: 'test', buildOnTarget: true, explain: true, sshConfig: undefined },
    });
  });

  it.each([
    ['lab', { on: '@edge' }, 'plan: give HOST or --on SELECTOR, not both'],
    [undefined, { on: '@edge', base: 'x' }, 'plan --on: --base is for one host (plan HOST --base)'],
    [undefined, { on: '@edge', explain: true }, 'plan --on: --explain is for one host (plan HOST --explain)'],
    [undefined, { on: '@edge', buildOnTarget: true }, 'plan --on: --build-on-target is for one host (plan HOST --build-on-target)'],
    [undefined, {}, 'plan: name a HOST, or select hosts with --on SELECTOR'],
    ['lab', { parallel: '2' }, 'plan: --parallel goes with --on SELECTOR'],
    ['lab', { canary: '1' }, 'plan: --canary goes with --on SELECTOR'],
  ])('%s %j: %s', (host, flags, message) => {
    expect(() => routePlan(host, { ...F, ...flags }, undefined)).toThrow(new UserError(message));
  });
});

describe('apply: one host, --on, --resume ROLLOUT or a fleet runbook', () => {
  it('routes --on to the rollout with its flags, --goal included', () => {
    const flags = { ...F, on: '@edge', parallel: '3', canary: '0', rollbackAll: true, skipUnreachable: true, json: true, yes: true, deadline: '30', goal: 'boot' };
    expect(routeApply(undefined, flags, 'ssh.conf', false)).toEqual({
      to: 'fleet',
      opts: { flake: '.', on: '@edge', parallel: '3', canary: '0', rollbackAll: true, skipUnreachable: true, json: true, yes: true, deadline: '30', goal: 'boot', sshConfig: 'ssh.conf' },
    });
  });

  it('routes --resume ROLLOUT and a fleet runbook to the rollout; a fleet runbook may carry --goal (checked against its plans)', () => {
    expect(routeApply(undefined, { ...F, resume: '1a2b3c4d' }, undefined, false)).toMatchObject({ to: 'fleet', opts: { resume: '1a2b3c4d' } });
    expect(routeApply(undefined, { ...F, runbook: 'fleet.json', goal: 'boot' }, undefined, true)).toMatchObject({ to: 'fleet', opts: { runbook: 'fleet.json', goal: 'boot' } });
  });

  it('routes one host to apply HOST: --resume alone is the host’s', () => {
    expect(routeApply('lab', { ...F, resume: true, goal: 'boot', buildOnTarget: true, yes: true }, undefined, false)).toEqual({
      to: 'single',
      host: 'lab',
      opts: { flake: '.', resume: true, goal: 'boot', buildOnTarget: true, yes: true, sshConfig: undefined },
    });
    expect(routeApply(undefined, { ...F, runbook: 'one.json' }, undefined, false)).toMatchObject({ to: 'single', host: undefined, opts: { runbook: 'one.json', resume: false } });
  });

  it.each([
    ['lab', { on: '@edge' }, false, 'apply: give HOST or --on SELECTOR, not both'],
    ['lab', { resume: 'abc' }, false, 'apply: give HOST or --on SELECTOR (or --resume ROLLOUT), not both'],
    [undefined, { on: '@edge', runbook: 'one.json' }, false, 'apply --on: --runbook one.json is the runbook of one host (apply --runbook one.json runs it)'],
    [undefined, { on: '@edge', runbook: 'fleet.json' }, true, 'apply --runbook fleet.json: the fleet runbook selects its hosts; leave out --on'],
    [undefined, { resume: 'abc', goal: 'boot' }, false, 'apply --resume abc: the rollout goes on with the goals it started with; leave out --goal'],
    [undefined, { on: '@edge', buildOnTarget: true }, false, "apply --on: --build-on-target is for one host (a rollout uses each host's inventory buildOnTarget)"],
    ['lab', { parallel: '2' }, false, 'apply: --parallel goes with --on SELECTOR'],
    ['lab', { rollbackAll: true }, false, 'apply: --rollback-all goes with --on SELECTOR'],
    ['lab', { json: true }, false, 'apply: --json goes with --on SELECTOR'],
  ])('%s %j: %s', (host, flags, fleetRunbook, message) => {
    let thrown: unknown;
    try {
      routeApply(host, { ...F, ...flags }, undefined, fleetRunbook);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toEqual(new UserError(message));
    expect((thrown as UserError).exitCode).toBe(ExitCode.badInput);
  });
});

describe('--goal over a fleet', () => {
  const hosts = [
    { name: 'n1', kind: 'nixos' as const },
    { name: 'hm', kind: 'home-manager' as const },
    { name: 'pl', kind: 'profile' as const },
  ];
  it('fits when every host takes it: NixOS any goal, every kind switch, no goal at all', () => {
    expect(fleetGoalProblem('boot', [hosts[0]!])).toBeNull();
    expect(fleetGoalProblem('switch', hosts)).toBeNull();
    expect(fleetGoalProblem(undefined, hosts)).toBeNull();
  });
  it('names every host that cannot take it, as plan HOST --goal says it for one', () => {
    expect(fleetGoalProblem('test', hosts.slice(0, 2))).toBe("--goal test: host 'hm' is a Home Manager profile; only NixOS hosts take a goal other than switch");
    expect(fleetGoalProblem('boot', hosts)).toBe("--goal boot: hosts 'hm' (a Home Manager profile), 'pl' (a plain profile) are not NixOS; only NixOS hosts take a goal other than switch");
  });
});
