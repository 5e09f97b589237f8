// A host whose module options clawdeploy cannot read: said in the plan, before validation fails on it.
import { hostKind } from '../hostKinds/index.js';
import type { Host } from '../inventory/schema.js';
import type { Finding } from '../plan/schema.js';

/**
 * A kind with module options whose configuration clawdeploy cannot name (a deploy-rs `path` built by
 * activate.home-manager or .nixos does not say which configuration it came from): the token, secret
 * files and channels are unknown, so validation cannot authenticate or probe the channels.
 */
export function optionsUnread(host: Host): Finding | null {
  if (host.configAttribute || !hostKind(host.kind).optionFacts) return null;
  const example = host.kind === 'nixos' ? 'nixosConfigurations.NAME.config' : 'homeConfigurations.NAME.config';
  return {
    code: 'options-unread',
    severity: 'warn',
    message: `host '${host.name}': clawdeploy cannot tell which configuration ${host.attribute} comes from, so it does not know the gateway's token, secret files or channels: validation cannot authenticate to the gateway or probe its channels`,
    fix: `name the configuration: configAttribute = "${example}" (under clawdeploy for a deploy-rs node)`,
  };
}
