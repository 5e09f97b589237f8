import { describe, expect, it } from 'vitest';
import { validateAction, type ActionContext } from '../../src/core/plan/catalog.js';
import type { Host } from '../../src/core/inventory/schema.js';

const STORE = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';

const host: Host = {
  name: 'staging', source: 'clawdeploy.hosts', target: 'ssh://root@10.213.1.2', environment: 'staging', kind: 'home-manager',
  attribute: 'homeConfigurations.staging.activationPackage', configAttribute: 'homeConfigurations.staging.config',
  profile: '/nix/var/nix/profiles/per-user/root/home-manager', activate: 'activate',
  gateway: { port: 18789, unit: 'openclaw-gateway', manager: 'none', logPath: null, configPath: '~/.openclaw/openclaw.json' },
  channels: ['telegram'], runtimePlugins: [], secretFiles: [], healthChecks: { http: [{ path: '/readyz', port: 18789 }] },
};
const ctx: ActionContext = { host, storeUrl: 'ssh://root@10.213.1.2', flakeDir: '/src/flake' };

describe('validateAction: what the catalog accepts', () => {
  it.each([
    ['set-profile', { profile: host.profile, storePath: STORE }, ['nix-env', '--profile', host.profile, '--set', STORE]],
    ['activate', { profile: host.profile }, [`${host.profile}/activate`]],
    ['switch-generation', { profile: host.profile, generation: 3, storePath: STORE }, ['nix-env', '--profile', host.profile, '--switch-generation', '3']],
    // Not -f: the body of a 503 names what is not ready; the status code comes on the last line.
    ['http-check', { port: 18789, path: '/readyz' }, ['curl', '-sS', '--max-time', '5', '-w', '\\n%{http_code}', 'http://127.0.0.1:18789/readyz']],
    ['secret-present', { path: '/run/agenix/telegram' }, ['test', '-r', '/run/agenix/telegram']],
    // The generation's own CLI, given the generation's config and the port (the real CLI has no --port on channels status).
    ['gateway-status', { port: 18790 }, ['env', `OPENCLAW_CONFIG_PATH=${host.profile}/home-files/.openclaw/openclaw.json`, 'OPENCLAW_GATEWAY_PORT=18790', 'OPENCLAW_NIX_MODE=1', `${host.profile}/home-path/bin/openclaw`, 'gateway', 'call', 'status', '--json', '--timeout', '30000']],
    ['channels-probe', { port: 18790, channels: ['telegram'] }, ['env', `OPENCLAW_CONFIG_PATH=${host.profile}/home-files/.openclaw/openclaw.json`, 'OPENCLAW_GATEWAY_PORT=18790', 'OPENCLAW_NIX_MODE=1', `${host.profile}/home-path/bin/openclaw`, 'channels', 'status', '--probe', '--json', '--timeout', '30000']],
  ])('%s builds the exact argv', (action, args, argv) => {
    const v = validateAction(action, args, ctx);
    expect(v.ok && v.argv).toEqual(argv);
  });

  it('a gateway token the config takes from the environment is loaded on the host from the declared secret, never put in the argv', () => {
    const withToken = { ...ctx, host: { ...host, gateway: { ...host.gateway, token: { env: 'OPENCLAW_GATEWAY_TOKEN', files: ['/run/agenix/gw'], format: 'value' as const } } } };
    const v = validateAction('gateway-health', { port: 18790 }, withToken);
    expect(v.ok).toBe(true);
    const argv = v.ok ? v.argv : [];
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv.slice(3, 8)).toEqual(['clawdeploy-openclaw', 'OPENCLAW_GATEWAY_TOKEN', 'value', '/run/agenix/gw', '--']);
    expect(argv.slice(8)).toEqual(['env', `OPENCLAW_CONFIG_PATH=${host.profile}/home-files/.openclaw/openclaw.json`, 'OPENCLAW_GATEWAY_PORT=18790', 'OPENCLAW_NIX_MODE=1', `${host.profile}/home-path/bin/openclaw`, 'gateway', 'health', '--json', '--timeout', '30000']);
  });

  it('a NixOS host\'s CLI reads the config of its toplevel', () => {
    const nixos = { ...ctx, host: { ...host, kind: 'nixos' as const, profile: '/nix/var/nix/profiles/system' } };
    const v = validateAction('gateway-health', { port: 18789 }, nixos);
    expect(v.ok && v.argv.slice(0, 5)).toEqual(['env', 'OPENCLAW_CONFIG_PATH=/nix/var/nix/profiles/system/etc/openclaw/openclaw.json', 'OPENCLAW_GATEWAY_PORT=18789', 'OPENCLAW_NIX_MODE=1', '/nix/var/nix/profiles/system/sw/bin/openclaw']);
  });

  it('activates a NixOS toplevel with switch-to-configuration', () => {
    const nixos = { ...ctx, host: { ...host, kind: 'nixos' as const, profile: '/nix/var/nix/profiles/system' } };
    const v = validateAction('activate', { profile: '/nix/var/nix/profiles/system' }, nixos);
    expect(v.ok && v.argv).toEqual(['/nix/var/nix/profiles/system/bin/switch-to-configuration', 'switch']);
  });
});

describe('validateAction: what the catalog refuses, with the reason', () => {
  it.each([
    ['an unknown action', 'run-shell', { cmd: 'rm -rf /' }, /unknown action 'run-shell'/],
    ['a store path with chaining', 'set-profile', { profile: host.profile, storePath: `${STORE}; rm -rf /` }, /storePath: must be \/nix\/store/],
    ['a store path outside the store', 'set-profile', { profile: host.profile, storePath: '/tmp/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-x' }, /storePath/],
    ['a store hash with letters outside base32', 'set-profile', { profile: host.profile, storePath: '/nix/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-x' }, /storePath/],
    ['a profile outside the declared root', 'set-profile', { profile: '/etc/passwd', storePath: STORE }, /not the declared profile/],
    ['a profile with ..', 'activate', { profile: '/nix/var/nix/profiles/../../../etc' }, /\.\./],
    ['option injection in a path', 'secret-present', { path: '-oProxyCommand=id' }, /must not start with "-"/],
    ['command substitution in a path', 'secret-present', { path: '/run/$(id)' }, /absolute path of plain characters/],
    ['a newline in a path', 'log-tail', { path: '/tmp/a\nrm', lines: 10 }, /control characters/],
    ['an unbounded size', 'log-tail', { path: '/tmp/openclaw/openclaw-gateway.log', lines: 1_000_000 }, /lines/],
    ['an extra argument', 'activate', { profile: host.profile, extra: '--rollback' }, /Unrecognized key|unrecognized/i],
    ['a port out of range', 'gateway-health', { port: 70000 }, /port/],
    ['a URL instead of a path', 'http-check', { port: 18789, path: 'http://evil.example/' }, /URL path/],
    ['a generation that is not a number', 'switch-generation', { profile: host.profile, generation: '3 && reboot', storePath: STORE }, /generation/],
  ])('refuses %s', (_what, action, args, reason) => {
    const v = validateAction(action, args, ctx);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(reason);
  });

  it('refuses to copy a closure to a local host', () => {
    const v = validateAction('copy-closure', { storePath: STORE }, { ...ctx, storeUrl: null });
    expect(v.ok).toBe(false);
  });
});
