// The argv of every host action when the profile belongs to another user than the ssh user
// (deploy-rs's `user` and `sudo`): the sudo command split into words, made non-interactive.
import { describe, expect, it } from 'vitest';
import { validateAction, type ActionId } from '../../src/core/plan/catalog.js';
import { asProfileUser, runAsFor, sudoArgv, sudoRefusal } from '../../src/core/plan/runAs.js';
import { testHost } from '../helpers/testHost.js';

const P = '/nix/var/nix/profiles/per-user/claw/openclaw';
const S = `${P}.clawdeploy`;
const STORE = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-generation';
const host = testHost({ name: 'edge', target: 'ssh://deploy@edge.invalid', kind: 'profile', profile: P, activate: 'deploy-rs-activate', runAs: { user: 'claw', sudo: ['sudo', '-u'] } });
const ctx = { host, storeUrl: 'ssh://deploy@edge.invalid', flakeDir: '/x' };
const SUDO = ['sudo', '-n', '-u', 'claw'];
// The same host, its profile owned by the ssh user.
const { runAs: _runAs, ...ownHost } = host;

describe('host actions as the profile owner', () => {
  it.each<[ActionId, Record<string, unknown>, string[]]>([
    ['set-profile', { profile: P, storePath: STORE }, [...SUDO, 'nix-env', '--profile', P, '--set', STORE]],
    ['switch-generation', { profile: P, generation: 3, storePath: STORE }, [...SUDO, 'nix-env', '--profile', P, '--switch-generation', '3']],
    ['list-generations', { profile: P }, [...SUDO, 'nix-env', '--profile', P, '--list-generations']],
    ['activate', { profile: P }, [...SUDO, 'env', `PROFILE=${P}`, `${P}/deploy-rs-activate`]],
    ['state-dir', { path: S }, [...SUDO, 'mkdir', '-p', S]],
    ['lock-host', { path: `${S}/lock`, owner: 'me@here' }, [...SUDO, 'ln', '-s', 'me@here', `${S}/lock`]],
    ['unlock-host', { path: `${S}/lock` }, [...SUDO, 'rm', '-f', `${S}/lock`]],
    ['read-lock', { path: `${S}/lock` }, [...SUDO, 'readlink', `${S}/lock`]],
    ['read-host-file', { path: `${S}/last-deploy.json` }, [...SUDO, 'cat', `${S}/last-deploy.json`]],
    ['write-host-file', { path: `${S}/last-deploy.json`, content: '{}' }, [...SUDO, 'tee', `${S}/last-deploy.json`]],
    ['confirm-watchdog', { canary: `${S}/watchdog-canary` }, [...SUDO, 'rm', `${S}/watchdog-canary`]],
    // Reads of the gateway and local steps are not the profile's: as the ssh user.
    ['http-check', { port: 18789, path: '/readyz' }, ['curl', '-sS', '--max-time', '5', '-w', '\\n%{http_code}', 'http://127.0.0.1:18789/readyz']],
    ['copy-closure', { storePath: STORE }, expect.not.arrayContaining(['sudo']) as unknown as string[]],
  ])('%s', (action, args, argv) => {
    const v = validateAction(action, args, ctx);
    expect(v.ok ? v.argv : v.reason).toEqual(argv);
  });

  it('the watchdog itself runs as the owner; the activation inside it is not wrapped again', () => {
    const v = validateAction('arm-watchdog', { profile: P, generation: 2, canary: `${S}/watchdog-canary`, seconds: 60 }, ctx);
    expect(v.ok && v.argv.slice(0, 6)).toEqual([...SUDO, 'setsid', '-f']);
    expect(v.ok && v.argv.slice(-3)).toEqual(['env', `PROFILE=${P}`, `${P}/deploy-rs-activate`]);
    expect(v.ok && v.argv.filter((w) => w === 'sudo')).toHaveLength(1);
  });

  it('nothing changes when the ssh user owns the profile', () => {
    const v = validateAction('set-profile', { profile: P, storePath: STORE }, { ...ctx, host: testHost(ownHost) });
    expect(v.ok && v.argv).toEqual(['nix-env', '--profile', P, '--set', STORE]);
  });
});

describe('the sudo command', () => {
  it.each([
    ['sudo -u', ['sudo', '-n', '-u', 'claw', 'true']],
    ['doas -u', ['doas', '-n', '-u', 'claw', 'true']],
    ['/run/wrappers/bin/sudo -u', ['/run/wrappers/bin/sudo', '-n', '-u', 'claw', 'true']],
    ['sudo -n -u', ['sudo', '-n', '-u', 'claw', 'true']],
    ['sudo  -H -u', ['sudo', '-n', '-H', '-u', 'claw', 'true']],
    // Not sudo or doas: its own words only (no flag we cannot know it takes).
    ['run0 --user', ['run0', '--user', 'claw', 'true']],
  ])('%s', (sudo, argv) => {
    expect(asProfileUser({ runAs: { user: 'claw', sudo: sudoArgv(sudo) } }, ['true'])).toEqual(argv);
  });

  it.each([
    ['deploy', 'claw', undefined, { user: 'claw', sudo: ['sudo', '-u'] }],
    ['deploy', 'root', 'doas -u', { user: 'root', sudo: ['doas', '-u'] }],
    ['claw', 'claw', undefined, undefined],
    ['claw', undefined, 'doas -u', undefined],
  ] as const)('login %s, user %s, sudo %s', (login, user, sudo, want) => {
    expect(runAsFor(login, user, sudo)).toEqual(want);
  });
});

describe('a refused sudo is one line naming the host', () => {
  it.each([
    ['sudo: a password is required\n', /host 'edge': 'deploy' may not run commands as 'claw' without a password \(sudo: a password is required\); add a NOPASSWD sudoers rule/],
    ["Sorry, user deploy is not allowed to execute '/bin/nix-env --list-generations' as claw on edge.\n", /host 'edge': 'deploy' may not run commands as 'claw' .*Sorry, user deploy is not allowed/],
    ['doas: a password is required\n', /host 'edge': .*doas: a password is required/],
    ['sh: 1: sudo: not found\n', /host 'edge': 'sudo' is not installed there/],
  ])('%s', (stderr, message) => {
    const line = sudoRefusal(host, stderr);
    expect(line).toMatch(message);
    expect(line).not.toContain('\n');
  });

  it('any other failure is not sudo', () => {
    expect(sudoRefusal(host, 'error: opening lock file: Permission denied')).toBeNull();
    expect(sudoRefusal(testHost(ownHost), 'sudo: a password is required')).toBeNull();
  });
});
