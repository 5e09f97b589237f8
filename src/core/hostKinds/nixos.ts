// NixOS hosts: the system profile, services.openclaw-gateway options, a systemd system unit.
import { deriveNixos, NIXOS_APPLY } from '../inventory/derive.js';
import type { HostKindStrategy } from './types.js';

export const nixos: HostKindStrategy = {
  kind: 'nixos',
  label: 'a NixOS system',
  configAttributeFor: (attribute) => attribute.match(/^(nixosConfigurations\.[^.]+)\.config\.system\.build\.toplevel$/)?.[1]?.concat('.config') ?? null,
  defaultProfile: () => '/nix/var/nix/profiles/system',
  optionFacts: { apply: NIXOS_APPLY, derive: deriveNixos },
  defaultManager: 'systemd-system',
  defaultActivate: 'bin/switch-to-configuration',
  // deploy-rs's convention: the "system" profile is the NixOS system.
  claimsDeployRsProfile: (name) => name === 'system',
  deployRsActivate: null,
  // switch-to-configuration needs its verb; the declared activate script is not used.
  activateArgv: (profile) => [`${profile}/bin/switch-to-configuration`, 'switch'],
  openclawBinIn: (generation) => `${generation}/sw/bin/openclaw`,
  renderedConfigIn: (generation) => `${generation}/etc/openclaw/openclaw.json`,
  defaultStateDir: '/var/lib/openclaw',
  // nix-openclaw's NixOS module has no runtime-plugins option.
  supportsRuntimePlugins: false,
};
