// A Host as the inventory would resolve it, without Nix: for tests of code that takes a Host.
import type { Host } from '../../src/core/inventory/schema.js';

export function testHost(over: Partial<Host> = {}): Host {
  return {
    name: 'staging',
    source: 'clawdeploy.hosts',
    target: 'local',
    environment: 'staging',
    kind: 'home-manager',
    attribute: 'homeConfigurations.staging.activationPackage',
    configAttribute: null,
    profile: '/root/profiles/openclaw',
    activate: 'activate',
    gateway: { port: 18789, unit: 'openclaw-gateway', manager: 'none', logPath: null, configPath: '~/.openclaw/openclaw.json' },
    channels: ['telegram'],
    runtimePlugins: [],
    secretFiles: [],
    healthChecks: { http: [] },
    ...over,
  };
}

/** The same host behind ssh, with its real Home Manager profile and a /readyz check. */
export function sshTestHost(over: Partial<Host> = {}): Host {
  return testHost({
    target: 'ssh://root@10.213.1.2',
    profile: '/nix/var/nix/profiles/per-user/root/home-manager',
    healthChecks: { http: [{ path: '/readyz', port: 18789 }] },
    ...over,
  });
}
