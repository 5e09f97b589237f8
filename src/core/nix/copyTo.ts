// Puts store paths into a host's store (nothing on the host runs them), for the reads that need
// the new build on the host itself, such as NixOS's dry-activate.
import { UserError } from '../errors.js';
import { nixSshEnv } from '../transport/index.js';
import type { Transport } from '../transport/types.js';
import { runNix, nixErrorLine } from './command.js';

export async function copyToHost(t: Transport, paths: string[]): Promise<void> {
  if (!t.storeUrl || !paths.length) return;
  const r = await runNix(['copy', '--no-check-sigs', '--to', t.storeUrl, ...paths], { env: { ...process.env, ...nixSshEnv(t) } as Record<string, string>, timeoutMs: 1_800_000 });
  if (r.exitCode !== 0) throw new UserError(`cannot copy ${paths.join(', ')} to ${t.describe}: ${nixErrorLine(r.stderr)}`);
}
