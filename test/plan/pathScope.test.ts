// Every path a catalog action takes is in the scope its entry declares, for hosts whose facts
// come from the real derivation (Home Manager and NixOS): in-scope paths pass, everything else
// (system files, ssh keys, `..` traversal, non-canonical spellings, relative paths, magic links
// under /proc, another file beside the right one) is refused with the argument and the path.
import { describe, expect, it } from 'vitest';
import { argType } from '../../src/core/assistant/promptCatalog.js';
import { deriveHomeManager, deriveNixos, type DerivedFacts } from '../../src/core/inventory/derive.js';
import type { Host } from '../../src/core/inventory/schema.js';
import { ACTIONS, hostStateDir, validateAction, type ActionSpec } from '../../src/core/plan/catalog.js';
import { scopeProblem, type PathArg, type PathScope } from '../../src/core/plan/pathScope.js';
import { z } from 'zod';
import { testHost } from '../helpers/testHost.js';

const STORE = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';
const STORE2 = '/nix/store/1d8wz3nhp9f2zzr0frc7qxa7j2zgssm4-home-manager-generation';

/** A host whose gateway facts are what the inventory derives from the module's options. */
function hostFrom(kind: Host['kind'], profile: string, f: DerivedFacts): Host {
  return testHost({
    kind,
    target: 'ssh://root@10.213.1.2',
    profile,
    gateway: { port: f.port ?? 18789, unit: f.unit, manager: 'none', logPath: f.logPath, configPath: f.configPath, token: f.token },
    secretFiles: f.secretFiles,
  });
}

const hm = hostFrom(
  'home-manager',
  '/nix/var/nix/profiles/per-user/root/home-manager',
  deriveHomeManager({
    enable: true,
    environment: { OPENCLAW_GATEWAY_TOKEN: '/run/agenix/openclaw-gateway-token', ANTHROPIC_API_KEY: '/run/agenix/anthropic' },
    config: { gateway: { auth: { token: { source: 'env', id: 'OPENCLAW_GATEWAY_TOKEN' } } }, channels: { telegram: { tokenFile: '/run/agenix/telegram-staging' } } },
    instances: {},
  }),
);
const nixos = hostFrom(
  'nixos',
  '/nix/var/nix/profiles/system',
  deriveNixos({
    enable: true,
    config: { gateway: { auth: { token: '${GW_TOKEN}' } }, channels: { telegram: { tokenFile: '/run/secrets/telegram' } } },
    environmentFiles: ['/run/secrets/openclaw.env'],
  }),
);

describe('the derived facts the scopes rest on', () => {
  it('Home Manager logs to /tmp/openclaw, NixOS under its state dir; secrets are the referenced files', () => {
    expect(hm.gateway.logPath).toBe('/tmp/openclaw/openclaw-gateway.log');
    expect(nixos.gateway.logPath).toBe('/var/lib/openclaw/logs/gateway.log');
    expect(hm.secretFiles.map((s) => s.path).sort()).toEqual(['/run/agenix/anthropic', '/run/agenix/openclaw-gateway-token', '/run/agenix/telegram-staging']);
    expect(nixos.gateway.token?.files).toEqual(['/run/secrets/openclaw.env']);
  });
});

/** Valid arguments of every action that takes a path, for a host (each path in its scope). */
function inScope(h: Host): Record<string, Record<string, unknown>> {
  const state = hostStateDir(h);
  const secret = h.secretFiles[0]!.path;
  return {
    'set-profile': { profile: h.profile, storePath: STORE },
    activate: { profile: h.profile },
    'switch-generation': { profile: h.profile, generation: 3, storePath: STORE },
    'list-generations': { profile: h.profile },
    'copy-closure': { storePath: STORE },
    'diff-closures': { from: STORE, to: STORE2 },
    'secret-present': { path: secret },
    'log-tail': { path: h.gateway.logPath, lines: 50 },
    'state-dir': { path: state },
    'lock-host': { path: `${state}/lock`, owner: 'alice@laptop pid 1' },
    'unlock-host': { path: `${state}/lock` },
    'read-host-file': { path: `${state}/last-deploy.json` },
    'read-lock': { path: `${state}/lock` },
    'write-host-file': { path: `${state}/record`, content: 'x' },
    'arm-watchdog': { profile: h.profile, generation: 3, canary: `${state}/watchdog-canary`, seconds: 30 },
    'confirm-watchdog': { canary: `${state}/watchdog-canary` },
  };
}

const specs = ACTIONS as unknown as Record<string, ActionSpec>;
const declared = (action: string) => Object.entries((specs[action]!.paths ?? {}) as Record<string, PathArg>);

/**
 * Paths that must never pass for an argument whose good value is `good`. For a scope that admits
 * one exact path, a neighbour of it is out; for one that admits a directory's files, a directory
 * that merely starts with the same name is out (and so is the directory itself).
 */
function hostile(good: string, scope: PathScope): string[] {
  const dir = good.slice(0, good.lastIndexOf('/')) || '/';
  const base = good.slice(good.lastIndexOf('/') + 1);
  const inside = scope === 'state-file' || scope === 'store';
  return [
    '/etc/shadow',
    '/root/.ssh/id_ed25519',
    '/home/alice/.ssh/id_rsa',
    `${dir}/../../etc/shadow`,
    `${good}/../../../etc/shadow`,
    `${dir}/./${base}`,
    `${dir}//${base}`,
    `/${good}`,
    `${good}/`,
    ...(inside ? [dir, `${dir}x/${base}`, `${dir}.bak/${base}`] : [`${good}.bak`, `${dir}/${base}x`, `${dir}/other`]),
    `/proc/self/root${good}`,
    `/proc/1/cwd/${base}`,
    good.slice(1),
    `./${base}`,
    `~/${base}`,
    '',
  ];
}

describe.each([
  ['home-manager', hm],
  ['nixos', nixos],
] as const)('path scopes on a %s host', (_kind, h) => {
  const good = inScope(h);
  const ctx = { host: h, storeUrl: 'ssh://root@10.213.1.2', flakeDir: '/src/flake' };

  it.each(Object.keys(good))('%s: its in-scope paths pass', (action) => {
    const v = validateAction(action, good[action], ctx);
    expect(v.ok, v.ok ? '' : v.reason).toBe(true);
    for (const [arg, decl] of declared(action)) expect(scopeProblem(decl.scope, good[action]![arg], h)).toBeNull();
  });

  it.each(Object.keys(good))('%s: every out-of-scope path is refused, naming the argument', (action) => {
    const entries = declared(action);
    expect(entries.length).toBeGreaterThan(0);
    for (const [arg, decl] of entries) {
      for (const bad of hostile(String(good[action]![arg]), decl.scope)) {
        // The scope alone refuses it (whatever the argument schema would say)…
        expect(scopeProblem(decl.scope, bad, h), `${action} ${arg}=${bad}`).not.toBeNull();
        // …and so does the catalog, naming the action and the argument.
        const v = validateAction(action, { ...good[action], [arg]: bad }, ctx);
        expect(v.ok, `${action} ${arg}=${bad}`).toBe(false);
        if (!v.ok) expect(v.reason).toMatch(new RegExp(`^${action}: ${arg}`));
      }
    }
  });

  it('reads reach only what the host declares: the log is not a secret, a secret is not a log', () => {
    const secret = h.secretFiles[0]!.path;
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['log-tail', { path: '/etc/shadow', lines: 50 }, new RegExp(`path: /etc/shadow is not the gateway log host '${h.name}' declares \\(${h.gateway.logPath}\\)`)],
      ['log-tail', { path: secret, lines: 1 }, /is not the gateway log/],
      ['secret-present', { path: '/root/.ssh/id_ed25519' }, /path: \/root\/\.ssh\/id_ed25519 is not a secret file host 'staging' declares/],
      ['secret-present', { path: h.gateway.logPath }, /is not a secret file/],
      ['secret-present', { path: '/run/agenix/another-hosts-secret' }, /is not a secret file/],
      ['read-host-file', { path: '/etc/shadow' }, /outside clawdeploy's directory/],
      ['read-host-file', { path: hostStateDir(h) }, /outside clawdeploy's directory/],
      ['read-lock', { path: '/root/.ssh/id_ed25519' }, /outside clawdeploy's directory/],
    ];
    for (const [action, args, reason] of cases) {
      const v = validateAction(action, args, ctx);
      expect(v.ok ? 'accepted' : v.reason).toMatch(reason);
    }
  });
});

describe('what a host does not declare, nothing may read', () => {
  it('no log path: log-tail reads nothing; no secrets: secret-present probes nothing', () => {
    const bare = testHost({ target: 'ssh://root@10.213.1.2' });
    const ctx = { host: bare, storeUrl: 'ssh://root@10.213.1.2', flakeDir: '/src/flake' };
    const log = validateAction('log-tail', { path: '/tmp/openclaw/openclaw-gateway.log', lines: 10 }, ctx);
    expect(log.ok ? 'accepted' : log.reason).toMatch(/declares no gateway log/);
    const secret = validateAction('secret-present', { path: '/run/agenix/telegram' }, ctx);
    expect(secret.ok ? 'accepted' : secret.reason).toMatch(/declares no secret files/);
  });

  it('a declared path that is not canonical admits nothing (fail closed)', () => {
    const odd = testHost({ gateway: { ...testHost().gateway, logPath: '/tmp/openclaw/../openclaw/gw.log' } });
    expect(scopeProblem('gateway-log', '/tmp/openclaw/../openclaw/gw.log', odd)).toMatch(/not a plain absolute path/);
    expect(scopeProblem('gateway-log', '/tmp/openclaw/gw.log', odd)).toMatch(/is not the gateway log/);
  });
});

describe('the catalog declares a scope for every path it takes', () => {
  // URL paths on the gateway's loopback port, not files on the host.
  const NOT_FILES: Record<string, string[]> = { 'http-check': ['path'] };

  it.each(Object.keys(ACTIONS))('%s', (action) => {
    const schema = z.toJSONSchema(specs[action]!.args) as { properties?: Record<string, Parameters<typeof argType>[0]> };
    const pathArgs = Object.entries(schema.properties ?? {})
      .filter(([, s]) => ['path', 'store-path'].includes(argType(s)))
      .map(([k]) => k)
      .filter((k) => !(NOT_FILES[action] ?? []).includes(k));
    expect(
      declared(action)
        .map(([k]) => k)
        .sort(),
    ).toEqual(pathArgs.sort());
  });
});
