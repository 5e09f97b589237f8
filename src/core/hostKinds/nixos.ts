// NixOS hosts: the system profile, services.openclaw-gateway options, a systemd system unit.
import { deriveNixos, NIXOS_APPLY } from '../inventory/derive.js';
import type { HostKindStrategy } from './types.js';

/** The NixOS system profile (deploy-rs's path for root's profile "system"). */
export const NIXOS_SYSTEM_PROFILE = '/nix/var/nix/profiles/system';

export const nixos: HostKindStrategy = {
  kind: 'nixos',
  label: 'a NixOS system',
  configAttributeFor: (attribute) => attribute.match(/^(nixosConfigurations\.[^.]+)\.config\.system\.build\.toplevel$/)?.[1]?.concat('.config') ?? null,
  defaultProfile: () => NIXOS_SYSTEM_PROFILE,
  optionFacts: { apply: NIXOS_APPLY, derive: deriveNixos },
  defaultManager: 'systemd-system',
  defaultActivate: 'bin/switch-to-configuration',
  // Where deploy-rs puts root's "system" profile (or a profilePath naming it): the NixOS system.
  claimsDeployRsProfile: ({ path }) => path === NIXOS_SYSTEM_PROFILE,
  deployRsActivate: null,
  goals: ['switch', 'test', 'boot', 'dry-activate'],
  // switch-to-configuration takes the goal as its verb; the declared activate script is not used.
  activateArgv: (generation, _host, goal = 'switch') => [`${generation}/bin/switch-to-configuration`, goal],
  openclawBinIn: (generation) => `${generation}/sw/bin/openclaw`,
  renderedConfigIn: (generation) => `${generation}/etc/openclaw/openclaw.json`,
  defaultStateDir: '/var/lib/openclaw',
  // nix-openclaw's NixOS module has no runtime-plugins option.
  supportsRuntimePlugins: false,
};
