// The profile's generations, read as the profile's owner when that is not the ssh user (deploy-rs's
// `user` and `sudo`): the first command a plan runs through sudo, so a missing sudoers rule is
// found before anything is built or changed, as one line naming the host.
import { UserError } from '../errors.js';
import type { Host } from '../inventory/schema.js';
import { asProfileUser, sudoRefusal } from '../plan/runAs.js';
import type { Transport } from '../transport/types.js';

/** `nix-env --list-generations` of the host's profile (null when it fails); throws when sudo refuses. */
export async function readProfileGenerations(host: Host, t: Transport): Promise<string | null> {
  const r = await t.run(asProfileUser(host, ['nix-env', '--profile', host.profile, '--list-generations']), { timeoutMs: 60_000 });
  if (r.exitCode === 0) return r.stdout.trim();
  const refused = sudoRefusal(host, r.stderr);
  if (refused) throw new UserError(refused);
  return null;
}
