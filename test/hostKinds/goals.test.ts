// NixOS goals (issue 12): the argv each goal gives, per host kind, through the strategy and the
// catalog; only NixOS takes a goal other than switch, and everything else is refused with why.
import { describe, expect, it } from 'vitest';
import { hostKind } from '../../src/core/hostKinds/index.js';
import { goalProblem, validateAction, type ActionContext } from '../../src/core/plan/catalog.js';
import { Goal, type Host, type HostKind } from '../../src/core/inventory/schema.js';
import { testHost } from '../helpers/testHost.js';

const PROFILE = '/nix/var/nix/profiles/system';
const BUILD = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-nixos-system-prod-26.05';
const host = (kind: HostKind): Host => testHost({ name: 'gw', kind, profile: PROFILE, activate: kind === 'nixos' ? 'bin/switch-to-configuration' : 'activate' });
const ctx = (kind: HostKind): ActionContext => ({ host: host(kind), storeUrl: 'ssh://root@10.0.0.2', flakeDir: '/src/flake' });
const STC = (gen: string, verb: string) => [`${gen}/bin/switch-to-configuration`, verb];

describe('which goals each kind takes', () => {
  it.each([
    ['nixos', ['switch', 'test', 'boot', 'dry-activate']],
    ['home-manager', ['switch']],
    ['profile', ['switch']],
  ] as const)('%s: %o', (kind, goals) => {
    expect(hostKind(kind).goals).toEqual(goals);
    for (const g of Goal.options) expect(goalProblem(host(kind), g) === null).toBe((goals as readonly string[]).includes(g));
  });

  it('says why a goal is refused, naming the host and its kind', () => {
    expect(goalProblem(host('home-manager'), 'boot')).toBe('goal boot needs a NixOS host; gw is a Home Manager profile (it only switches)');
    expect(goalProblem(host('profile'), undefined)).toBeNull();
  });
});

describe('the argv of each goal', () => {
  // [kind, action, args, argv]: what runs on the host, built by the catalog from the strategy.
  it.each([
    ['nixos', 'activate', { profile: PROFILE }, STC(PROFILE, 'switch')],
    ['nixos', 'activate', { profile: PROFILE, goal: 'switch' }, STC(PROFILE, 'switch')],
    ['nixos', 'activate', { profile: PROFILE, goal: 'boot' }, STC(PROFILE, 'boot')],
    // test's rollback: the profile's generation again, still not touching the boot default.
    ['nixos', 'activate', { profile: PROFILE, goal: 'test' }, STC(PROFILE, 'test')],
    // test: the build itself, from its store path; the profile is not touched.
    ['nixos', 'activate-test', { storePath: BUILD }, STC(BUILD, 'test')],
    ['nixos', 'dry-activate', { storePath: BUILD }, STC(BUILD, 'dry-activate')],
    ['home-manager', 'activate', { profile: PROFILE }, [`${PROFILE}/activate`]],
    ['profile', 'activate', { profile: PROFILE, goal: 'switch' }, [`${PROFILE}/activate`]],
  ] as const)('%s %s %o', (kind, action, args, argv) => {
    const v = validateAction(action, args, ctx(kind));
    expect(v.ok ? v.argv : v.reason).toEqual(argv);
  });

  it.each(['switch', 'test', 'boot', 'dry-activate'] as const)('the NixOS strategy gives switch-to-configuration %s', (goal) => {
    expect(hostKind('nixos').activateArgv(BUILD, host('nixos'), goal)).toEqual(STC(BUILD, goal));
  });

  it('the risk of each: dry-activate only reads, the activations change the host', () => {
    const risk = (action: string, args: Record<string, unknown>) => {
      const v = validateAction(action, args, ctx('nixos'));
      return v.ok ? v.spec.risk : v.reason;
    };
    expect(risk('dry-activate', { storePath: BUILD })).toBe('read');
    expect(risk('activate-test', { storePath: BUILD })).toBe('mutate');
    expect(risk('activate', { profile: PROFILE, goal: 'boot' })).toBe('mutate');
  });

  it.each([
    ['home-manager', 'activate', { profile: PROFILE, goal: 'boot' }, /goal boot needs a NixOS host; gw is a Home Manager profile/],
    ['home-manager', 'activate-test', { storePath: BUILD }, /goal test needs a NixOS host/],
    ['profile', 'dry-activate', { storePath: BUILD }, /goal dry-activate needs a NixOS host; gw is a plain profile/],
    // dry-activate reads; it is never what `activate` runs.
    ['nixos', 'activate', { profile: PROFILE, goal: 'dry-activate' }, /goal/],
    ['nixos', 'activate', { profile: PROFILE, goal: 'reboot' }, /goal/],
    ['nixos', 'activate-test', { storePath: `${BUILD}; reboot` }, /storePath/],
    ['nixos', 'activate-test', { storePath: BUILD, profile: PROFILE }, /Unrecognized key|unrecognized/i],
  ] as const)('refuses %s %s %o', (kind, action, args, reason) => {
    const v = validateAction(action, args, ctx(kind));
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(reason);
  });

  it('the watchdog re-activates with the goal it is given (test after a test deploy)', () => {
    const base = { profile: PROFILE, generation: 4, canary: `${PROFILE}.clawdeploy/watchdog-canary`, seconds: 120 };
    const tail = (args: Record<string, unknown>) => {
      const v = validateAction('arm-watchdog', args, ctx('nixos'));
      return v.ok ? v.argv.slice(-2) : v.reason;
    };
    expect(tail(base)).toEqual(STC(PROFILE, 'switch'));
    expect(tail({ ...base, goal: 'test' })).toEqual(STC(PROFILE, 'test'));
  });
});
