// Plain Nix profiles (e.g. deploy-rs nodes): an activation script and a flat generation, no
// module options to read, so the inventory states the profile and the facts itself.
import type { HostKindStrategy } from './types.js';

export const profile: HostKindStrategy = {
  kind: 'profile',
  label: 'a plain profile',
  configAttributeFor: () => null,
  defaultProfile: () => null,
  optionFacts: null,
  defaultManager: 'systemd-user',
  defaultActivate: 'activate',
  // The catch-all: any deploy-rs profile no other kind claims.
  claimsDeployRsProfile: () => true,
  deployRsActivate: 'deploy-rs-activate',
  // An activation script knows one goal: activate now and stay (switch).
  goals: ['switch'],
  // deploy-rs's activate-rs gives its script the profile in $PROFILE (activate.nixos and others read it).
  activateArgv: (profilePath, host) => (host.activate === 'deploy-rs-activate' ? ['env', `PROFILE=${profilePath}`] : []).concat(`${profilePath}/${host.activate}`),
  openclawBinIn: (generation) => `${generation}/bin/openclaw`,
  renderedConfigIn: (generation) => `${generation}/openclaw.json`,
  defaultStateDir: '~/.openclaw',
  supportsRuntimePlugins: false,
};
