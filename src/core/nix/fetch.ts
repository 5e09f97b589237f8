// Brings store paths from a host into the local store (read-only for the host), so closures
// can be diffed here with the local nix.
import { UserError } from '../errors.js';
import { nixSshEnv } from '../transport/index.js';
import type { Transport } from '../transport/types.js';
import { runNix, nixErrorLine } from './command.js';

export async function fetchFromHost(t: Transport, paths: string[]): Promise<void> {
  if (!t.storeUrl || !paths.length) return;
  const r = await runNix(['copy', '--no-check-sigs', '--from', t.storeUrl, ...paths], { env: { ...process.env, ...nixSshEnv(t) } as Record<string, string> });
  if (r.exitCode !== 0) throw new UserError(`cannot fetch ${paths.join(', ')} from ${t.describe}: ${nixErrorLine(r.stderr)}`);
}
