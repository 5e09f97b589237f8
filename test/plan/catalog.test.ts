import { describe, expect, it } from 'vitest';
import { displayStep } from '../../src/core/plan/display.js';
import { validateAction, type ActionContext } from '../../src/core/plan/catalog.js';
import type { Host } from '../../src/core/inventory/schema.js';

const STORE = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';

const host: Host = {
  name: 'staging',
  source: 'clawdeploy.hosts',
  target: 'ssh://root@10.213.1.2',
  environment: 'staging',
  kind: 'home-manager',
  attribute: 'homeConfigurations.staging.activationPackage',
  configAttribute: 'homeConfigurations.staging.config',
  profile: '/nix/var/nix/profiles/per-user/root/home-manager',
  activate: 'activate',
  gateway: { port: 18789, unit: 'openclaw-gateway', manager: 'none', logPath: '/tmp/openclaw/openclaw-gateway.log', configPath: '~/.openclaw/openclaw.json' },
  channels: ['telegram'],
  runtimePlugins: [],
  secretFiles: [{ path: '/run/agenix/telegram', option: 'programs.openclaw.config.channels.telegram.tokenFile' }],
  healthChecks: { http: [{ path: '/readyz', port: 18789 }] },
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
    // Gateway RPCs: the argv is what a person reads and the audit records (the call runs in process).
    ['gateway-status', { port: 18790 }, ['openclaw-rpc', 'status', '--url', 'ws://127.0.0.1:18790', '--params', '{}']],
    ['channels-probe', { port: 18790, channels: ['telegram'] }, ['openclaw-rpc', 'channels.status', '--url', 'ws://127.0.0.1:18790', '--params', '{"probe":true,"timeoutMs":10000}']],
  ])('%s builds the exact argv', (action, args, argv) => {
    const v = validateAction(action, args, ctx);
    expect(v.ok && v.argv).toEqual(argv);
  });

  it('a gateway RPC names where its token comes from on the host, never the token; a person reads it as the call', () => {
    const withToken = { ...ctx, host: { ...host, gateway: { ...host.gateway, token: { env: 'OPENCLAW_GATEWAY_TOKEN', files: ['/run/agenix/gw'], format: 'value' as const } } } };
    const v = validateAction('gateway-health', { port: 18790 }, withToken);
    expect(v.ok && v.argv).toEqual(['openclaw-rpc', 'health', '--url', 'ws://127.0.0.1:18790', '--params', '{}', '--auth-from', 'OPENCLAW_GATEWAY_TOKEN', 'value', '/run/agenix/gw']);
    expect(v.ok && v.spec.rpc?.({ port: 18790 }, withToken)).toEqual({ port: 18790, method: 'health', params: {} });
    expect(displayStep({ argv: v.ok ? v.argv : [], on: 'host' }, 'ssh://deploy@10.0.0.5:2222')).toBe(
      'gateway RPC health at ws://127.0.0.1:18790 via ssh deploy@10.0.0.5:2222, token read from /run/agenix/gw',
    );
    const envfile = { ...ctx, host: { ...host, gateway: { ...host.gateway, token: { env: 'GW_TOKEN', files: ['/run/secrets/openclaw.env'], format: 'envfile' as const } } } };
    const p = validateAction('channels-probe', { port: 18789, channels: ['telegram'] }, envfile);
    expect(displayStep({ argv: p.ok ? p.argv : [], on: 'host' }, 'local')).toBe(
      'gateway RPC channels.status {"probe":true,"timeoutMs":10000} at ws://127.0.0.1:18789, token GW_TOKEN read from the environment file /run/secrets/openclaw.env',
    );
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
