// Home Manager hosts: a per-user profile, programs.openclaw options, a systemd user unit.
import { deriveHomeManager, HM_APPLY } from '../inventory/derive.js';
import type { HostKindStrategy } from './types.js';

export const homeManager: HostKindStrategy = {
  kind: 'home-manager',
  label: 'a Home Manager profile',
  configAttributeFor: (attribute) => attribute.match(/^(homeConfigurations\.[^.]+)\.activationPackage$/)?.[1]?.concat('.config') ?? null,
  defaultProfile: (user) => `/nix/var/nix/profiles/per-user/${user}/home-manager`,
  optionFacts: { apply: HM_APPLY, derive: deriveHomeManager },
  defaultManager: 'systemd-user',
  defaultActivate: 'activate',
  // deploy-rs has no kinds: a profile named like "home" or "home-manager" holds a Home Manager generation.
  claimsDeployRsProfile: ({ name }) => /home/.test(name),
  deployRsActivate: null,
  // An activation script knows one goal: activate now and stay (switch).
  goals: ['switch'],
  activateArgv: (profile, host) => [`${profile}/${host.activate}`],
  openclawBinIn: (generation) => `${generation}/home-path/bin/openclaw`,
  renderedConfigIn: (generation) => `${generation}/home-files/.openclaw/openclaw.json`,
  defaultStateDir: '~/.openclaw',
  supportsRuntimePlugins: true,
};
