// A copy into a host's store refused because the one who logs in is not trusted there: on a
// multi-user Nix (a daemon), an untrusted user may only add signed paths. Said as the host's
// configuration problem, with deploy-rs's two ways out, not as a failed command.
import type { Host } from '../inventory/schema.js';
import { loginUser } from './runAs.js';

const UNSIGNED = /cannot add path '[^']*' because it lacks a signature by a trusted key|lacks a valid signature/i;

/** One line naming the host, the user and the fix; null when the failure is something else. */
export function untrustedCopy(host: Pick<Host, 'name' | 'target'>, stderr: string): string | null {
  if (!UNSIGNED.test(stderr)) return null;
  const user = loginUser(host.target);
  return `host '${host.name}': its Nix refused the closure from '${user}', who is not a trusted user there and the paths are not signed; add '${user}' to trusted-users in the host's nix.conf (NixOS: nix.settings.trusted-users), or sign the closure (nix store sign) with a key the host trusts (trusted-public-keys)`;
}
