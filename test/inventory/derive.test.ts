import { describe, expect, it } from 'vitest';
import { deriveHomeManager, deriveNixos, channelsOf } from '../../src/core/inventory/derive.js';
import { hostKind } from '../../src/core/hostKinds/index.js';

describe('facts derived from programs.openclaw (Home Manager)', () => {
  const base = {
    enable: true,
    stateDir: null,
    unitName: null,
    homeDirectory: '/home/claw',
    instances: {},
    runtimePlugins: ['discord'],
    environment: { DISCORD_BOT_TOKEN: '/run/agenix/discord', OPENCLAW_LOG_LEVEL: 'debug' },
    config: { gateway: { auth: { token: { source: 'env', id: 'T' } } }, channels: { telegram: { tokenFile: '/run/agenix/tg' }, discord: { enabled: true }, slack: { enabled: false }, defaults: {} } },
  };

  it('uses the real defaults: port 18789, unit openclaw-gateway, the log file in /tmp/openclaw', () => {
    const f = deriveHomeManager(base);
    expect(f.port).toBe(18789);
    expect(f.unit).toBe('openclaw-gateway');
    expect(f.logPath).toBe('/tmp/openclaw/openclaw-gateway.log');
    expect(f.configPath).toBe('~/.openclaw/openclaw.json');
    expect((f.config['gateway'] as Record<string, unknown>)['mode']).toBe('local');
  });

  it('lists channels except disabled ones and the typed helpers, and the secret files to check', () => {
    const f = deriveHomeManager(base);
    expect(f.channels).toEqual(['discord', 'telegram']);
    expect(f.runtimePlugins).toEqual(['discord']);
    expect(f.secretFiles).toEqual([
      { path: '/run/agenix/discord', option: 'programs.openclaw.environment.DISCORD_BOT_TOKEN' },
      { path: '/run/agenix/tg', option: 'programs.openclaw.config.channels.telegram.tokenFile' },
    ]);
  });

  it('takes a named instance: its port, its unit and log names', () => {
    const f = deriveHomeManager({ ...base, instances: { prod: { enable: true, gatewayPort: 18790, config: {}, environment: {}, runtimePlugins: ['slack'], stateDir: null } } });
    expect(f.port).toBe(18790);
    expect(f.unit).toBe('openclaw-gateway-prod');
    expect(f.logPath).toBe('/tmp/openclaw/openclaw-gateway-prod.log');
    expect(f.configPath).toBe('~/.openclaw-prod/openclaw.json');
    expect(f.runtimePlugins).toEqual(['discord', 'slack']);
  });
});

describe('facts derived from services.openclaw-gateway (NixOS)', () => {
  it('reads port, unit, /etc config, env files (optional ones skipped); environment values are literals, not files', () => {
    const f = deriveNixos({
      enable: true,
      port: 18800,
      unitName: null,
      configPath: null,
      logPath: null,
      stateDir: null,
      environment: { OPENCLAW_LOG: '/var/log/x' },
      environmentFiles: ['/run/secrets/openclaw.env', '-/run/secrets/optional.env'],
      config: { channels: { telegram: { tokenFile: '/run/secrets/tg' } } },
    });
    expect(f.port).toBe(18800);
    expect(f.configPath).toBe('/etc/openclaw/openclaw.json');
    expect(f.secretFiles.map((s) => s.path)).toEqual(['/run/secrets/tg', '/run/secrets/openclaw.env']);
  });
});

describe('where the gateway port was written (named when it is out of range)', () => {
  const hm = (over: Record<string, unknown>) => deriveHomeManager({ enable: true, instances: {}, config: {}, ...over });

  it('Home Manager: the instance port, then its config, then the shared config; none for the default', () => {
    const inst = (i: Record<string, unknown>) => hm({ instances: { default: { enable: true, ...i } }, config: { gateway: { port: 3 } } });
    expect(inst({ gatewayPort: 1, config: { gateway: { port: 2 } } })).toMatchObject({ port: 1, portOption: 'programs.openclaw.instances.default.gatewayPort' });
    expect(inst({ config: { gateway: { port: 2 } } })).toMatchObject({ port: 2, portOption: 'programs.openclaw.instances.default.config.gateway.port' });
    expect(inst({})).toMatchObject({ port: 3, portOption: 'programs.openclaw.config.gateway.port' });
    expect(hm({})).toMatchObject({ port: 18789, portOption: null });
  });

  it('NixOS: services.openclaw-gateway.port', () => {
    expect(deriveNixos({ port: 70000 })).toMatchObject({ port: 70000, portOption: 'services.openclaw-gateway.port' });
    expect(deriveNixos({})).toMatchObject({ port: 18789, portOption: null });
  });
});

describe('where the options live', () => {
  it.each([
    ['home-manager', 'homeConfigurations.staging.activationPackage', 'homeConfigurations.staging.config'],
    ['nixos', 'nixosConfigurations.prod.config.system.build.toplevel', 'nixosConfigurations.prod.config'],
    ['profile', 'deploy.nodes.a.profiles.b.path', null],
    ['home-manager', 'packages.x86_64-linux.hm', null],
  ] as const)('%s %s', (kind, attr, expected) => {
    expect(hostKind(kind).configAttributeFor(attr)).toBe(expected);
  });

  it('channelsOf ignores non-objects safely', () => {
    expect(channelsOf({ channels: 'nope' })).toEqual([]);
  });
});

describe('where the CLI checks get the gateway token', () => {
  const hm = (config: unknown, environment: Record<string, string>) =>
    deriveHomeManager({ enable: true, stateDir: null, unitName: null, homeDirectory: '/root', instances: {}, runtimePlugins: [], environment, config });

  it('Home Manager: an env SecretRef (or "${NAME}") whose variable the host exports from a secret file', () => {
    const ref = { gateway: { auth: { mode: 'token', token: { source: 'env', provider: 'default', id: 'OPENCLAW_GATEWAY_TOKEN' } } } };
    expect(hm(ref, { OPENCLAW_GATEWAY_TOKEN: '/run/agenix/gw' }).token).toEqual({ env: 'OPENCLAW_GATEWAY_TOKEN', files: ['/run/agenix/gw'], format: 'value' });
    expect(hm({ gateway: { auth: { token: '${GW_TOKEN}' } } }, { GW_TOKEN: '/run/agenix/gw' }).token).toEqual({ env: 'GW_TOKEN', files: ['/run/agenix/gw'], format: 'value' });
  });

  it('none when the token is inline or a file SecretRef (the CLI reads those from the config itself), or the variable has no secret file', () => {
    expect(hm({ gateway: { auth: { token: 'abc' } } }, {}).token).toBeNull();
    expect(hm({ gateway: { auth: { token: { source: 'file', provider: 'f', id: 'value' } } } }, {}).token).toBeNull();
    expect(hm({ gateway: { auth: { token: { source: 'env', id: 'T' } } } }, { T: 'literal-not-a-path' }).token).toBeNull();
  });

  it('NixOS: the variable is read from the environment files systemd loads', () => {
    const f = deriveNixos({
      enable: true,
      port: 18789,
      unitName: null,
      configPath: null,
      logPath: null,
      stateDir: null,
      environment: {},
      environmentFiles: ['/run/secrets/openclaw.env'],
      config: { gateway: { auth: { token: { source: 'env', provider: 'default', id: 'OPENCLAW_GATEWAY_TOKEN' } } } },
    });
    expect(f.token).toEqual({ env: 'OPENCLAW_GATEWAY_TOKEN', files: ['/run/secrets/openclaw.env'], format: 'envfile' });
  });
});
