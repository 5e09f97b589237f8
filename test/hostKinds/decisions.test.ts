import { describe, expect, it } from 'vitest';
import { allHostKinds, findHostKind, hostKind, kindOfDeployRsProfile } from '../../src/core/hostKinds/index.js';
import { deriveHomeManager, deriveNixos, HM_APPLY, NIXOS_APPLY } from '../../src/core/inventory/derive.js';
import { HostKind, type Host } from '../../src/core/inventory/schema.js';
import { activationArgv, openclawProgram } from '../../src/core/plan/catalog.js';
import { renderedConfigIn } from '../../src/core/preflight/layout.js';

// What each host kind decides, as data: a new kind is one file in src/core/hostKinds and one row here.
const GEN = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-generation';
const PROFILE = '/nix/var/nix/profiles/custom';
const ACTIVATE = 'bin/custom-activate';

interface Row {
  kind: HostKind;
  label: string;
  /** [build attribute, the config attribute derived from it]. */
  configAttributes: Array<[string, string | null]>;
  /** For user "claw". */
  defaultProfile: string | null;
  optionFacts: { apply: string; derive: (evaluated: unknown) => unknown } | null;
  defaultManager: Host['gateway']['manager'];
  defaultActivate: string;
  deployRsActivate: string | null;
  /** For PROFILE, on a host whose declared activate script is ACTIVATE. */
  activateArgv: string[];
  /** Inside GEN. */
  openclawBin: string;
  renderedConfig: string;
  defaultStateDir: string;
  supportsRuntimePlugins: boolean;
}

const ROWS: Row[] = [
  {
    kind: 'home-manager',
    label: 'a Home Manager profile',
    configAttributes: [
      ['homeConfigurations.gw.activationPackage', 'homeConfigurations.gw.config'],
      ['homeConfigurations.gw.config', null],
      ['nixosConfigurations.gw.config.system.build.toplevel', null],
      ['packages.x86_64-linux.hm', null],
    ],
    defaultProfile: '/nix/var/nix/profiles/per-user/claw/home-manager',
    optionFacts: { apply: HM_APPLY, derive: deriveHomeManager },
    defaultManager: 'systemd-user',
    defaultActivate: 'activate',
    deployRsActivate: null,
    activateArgv: [`${PROFILE}/${ACTIVATE}`],
    openclawBin: `${GEN}/home-path/bin/openclaw`,
    renderedConfig: `${GEN}/home-files/.openclaw/openclaw.json`,
    defaultStateDir: '~/.openclaw',
    supportsRuntimePlugins: true,
  },
  {
    kind: 'nixos',
    label: 'a NixOS system',
    configAttributes: [
      ['nixosConfigurations.gw.config.system.build.toplevel', 'nixosConfigurations.gw.config'],
      ['nixosConfigurations.gw.config.system.build.vm', null],
      ['homeConfigurations.gw.activationPackage', null],
    ],
    defaultProfile: '/nix/var/nix/profiles/system',
    optionFacts: { apply: NIXOS_APPLY, derive: deriveNixos },
    defaultManager: 'systemd-system',
    defaultActivate: 'bin/switch-to-configuration',
    deployRsActivate: null,
    // switch-to-configuration with its verb, whatever activate script the host declares.
    activateArgv: [`${PROFILE}/bin/switch-to-configuration`, 'switch'],
    openclawBin: `${GEN}/sw/bin/openclaw`,
    renderedConfig: `${GEN}/etc/openclaw/openclaw.json`,
    defaultStateDir: '/var/lib/openclaw',
    supportsRuntimePlugins: false,
  },
  {
    kind: 'profile',
    label: 'a plain profile',
    configAttributes: [
      ['deploy.nodes.a.profiles.b.path', null],
      ['homeConfigurations.gw.activationPackage', null],
      ['nixosConfigurations.gw.config.system.build.toplevel', null],
    ],
    defaultProfile: null,
    optionFacts: null,
    defaultManager: 'systemd-user',
    defaultActivate: 'activate',
    deployRsActivate: 'deploy-rs-activate',
    activateArgv: [`${PROFILE}/${ACTIVATE}`],
    openclawBin: `${GEN}/bin/openclaw`,
    renderedConfig: `${GEN}/openclaw.json`,
    defaultStateDir: '~/.openclaw',
    supportsRuntimePlugins: false,
  },
];

const hostOf = (kind: HostKind): Host => ({
  name: 'gw',
  source: 'clawdeploy.hosts',
  target: 'local',
  environment: 'staging',
  kind,
  attribute: 'x',
  configAttribute: null,
  profile: PROFILE,
  activate: ACTIVATE,
  gateway: { port: 18789, unit: 'openclaw-gateway', manager: 'none', logPath: null, configPath: '~/.openclaw/openclaw.json' },
  channels: [],
  runtimePlugins: [],
  secretFiles: [],
  healthChecks: { http: [] },
});

describe('host kinds: one strategy per kind, one row per strategy', () => {
  it('every kind of the schema has a strategy of that kind and a row here', () => {
    expect(
      allHostKinds()
        .map((s) => s.kind)
        .sort(),
    ).toEqual([...HostKind.options].sort());
    expect(ROWS.map((r) => r.kind).sort()).toEqual([...HostKind.options].sort());
    for (const k of HostKind.options) expect(hostKind(k).kind).toBe(k);
  });

  describe.each(ROWS)('$kind', (row) => {
    const s = hostKind(row.kind);

    it('names itself for people', () => expect(s.label).toBe(row.label));

    it.each(row.configAttributes)('config attribute of %s is %s', (attribute, expected) => {
      expect(s.configAttributeFor(attribute)).toBe(expected);
    });

    it('defaults: profile, service manager, activate script, state dir', () => {
      expect(s.defaultProfile('claw')).toBe(row.defaultProfile);
      expect(s.defaultManager).toBe(row.defaultManager);
      expect(s.defaultActivate).toBe(row.defaultActivate);
      expect(s.deployRsActivate).toBe(row.deployRsActivate);
      expect(s.defaultStateDir).toBe(row.defaultStateDir);
      expect(s.supportsRuntimePlugins).toBe(row.supportsRuntimePlugins);
    });

    it('reads its options with its own apply expression and deriver', () => {
      expect(s.optionFacts?.apply ?? null).toBe(row.optionFacts?.apply ?? null);
      expect(s.optionFacts?.derive ?? null).toBe(row.optionFacts?.derive ?? null);
    });

    it('the generation layout, directly and through the callers that ask for it', () => {
      expect(s.activateArgv(PROFILE, hostOf(row.kind))).toEqual(row.activateArgv);
      expect(activationArgv(hostOf(row.kind), PROFILE)).toEqual(row.activateArgv);
      expect(s.openclawBinIn(GEN)).toBe(row.openclawBin);
      expect(openclawProgram({ ...hostOf(row.kind), profile: GEN })).toBe(row.openclawBin);
      expect(s.renderedConfigIn(GEN)).toBe(row.renderedConfig);
      expect(renderedConfigIn(hostOf(row.kind), GEN)).toBe(row.renderedConfig);
    });
  });
});

describe('which kind a deploy-rs profile holds', () => {
  // By where deploy-rs puts it: only the NixOS system profile is a NixOS system, whatever its name.
  it.each([
    ['system', '/nix/var/nix/profiles/system', 'nixos'],
    ['gw', '/nix/var/nix/profiles/system', 'nixos'],
    ['system', '/nix/var/nix/profiles/per-user/claw/system', 'profile'],
    ['system', '/nix/var/nix/profiles/per-user/root/system-x', 'profile'],
    ['home', '/nix/var/nix/profiles/per-user/claw/home', 'home-manager'],
    ['home-manager', '/nix/var/nix/profiles/per-user/claw/home-manager', 'home-manager'],
    ['myhome', '/nix/var/nix/profiles/per-user/claw/myhome', 'home-manager'],
    ['systemd', '/nix/var/nix/profiles/per-user/root/systemd', 'profile'],
    ['openclaw', '/nix/var/nix/profiles/per-user/claw/openclaw', 'profile'],
  ] as const)('%s at %s → %s', (name, path, kind) => {
    expect(kindOfDeployRsProfile({ name, path })).toBe(kind);
  });

  it("deploy-rs's activation script gets the profile in $PROFILE, as activate-rs gives it", () => {
    const host = { ...hostOf('profile'), activate: 'deploy-rs-activate' };
    expect(activationArgv(host, PROFILE)).toEqual(['env', `PROFILE=${PROFILE}`, `${PROFILE}/deploy-rs-activate`]);
  });
});

describe('a kind read from outside the schema', () => {
  it.each([
    ['nixos', 'nixos'],
    ['home-manager', 'home-manager'],
    ['profile', 'profile'],
    [null, null],
    ['', null],
    ['NixOS', null],
    ['toString', null],
  ] as const)('%s → %s', (raw, kind) => {
    expect(findHostKind(raw)?.kind ?? null).toBe(kind);
  });
});
