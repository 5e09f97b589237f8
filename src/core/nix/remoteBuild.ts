// Building on the target (deploy-rs's remoteBuild): this machine evaluates, the host's store
// builds. Only the derivations and their sources go to the host (`--eval-store auto --store
// ssh-ng://…`, Nix 2.4+, so Debian's 2.8 too); no closure is copied from here. Its closure diff
// is read in the host's store the same way.
import { UserError } from '../errors.js';
import { nixSshEnv } from '../transport/index.js';
import type { Transport } from '../transport/types.js';
import { flakeError } from './flakeError.js';
import { runNix, nixErrorLine } from './command.js';
import type { BuildResult } from './flake.js';

/** The host's store as a build target: the ssh-ng store of the `nix copy` URL (ssh://user@host). */
export function targetStore(storeUrl: string): string {
  return storeUrl.replace(/^ssh:\/\//, 'ssh-ng://');
}

/** The arguments of `nix build` (after its features) that build `attribute` in the host's store. */
export function targetBuildArgs(storeUrl: string, flakeDir: string, attribute: string): string[] {
  return ['build', '--eval-store', 'auto', '--store', targetStore(storeUrl), '--no-link', '--json', `${flakeDir}#${attribute}`];
}

function env(t: Transport): Record<string, string> {
  return { ...process.env, ...nixSshEnv(t) } as Record<string, string>;
}

export async function buildOnTarget(t: Transport, flakeDir: string, attribute: string): Promise<BuildResult> {
  if (!t.storeUrl) throw new UserError(`cannot build on ${t.describe}: it is this machine`);
  const r = await runNix(targetBuildArgs(t.storeUrl, flakeDir, attribute), { env: env(t), timeoutMs: 1_800_000 });
  if (r.exitCode !== 0) throw flakeError(flakeDir, `build of ${attribute} on ${t.describe} failed`, r.stderr);
  const first = (JSON.parse(r.stdout) as Array<{ drvPath: string; outputs: Record<string, string> }>)[0];
  const outPath = first?.outputs['out'];
  if (!first || !outPath) throw new UserError(`build of ${attribute} on ${t.describe}: nix returned no output path`);
  return { drvPath: first.drvPath, outPath };
}

/** `nix store diff-closures A B` in the host's store (both are there: nothing is fetched). */
export async function diffClosuresOnTarget(t: Transport, from: string, to: string): Promise<string> {
  const r = await runNix(['store', 'diff-closures', '--store', targetStore(t.storeUrl!), from, to], { env: env(t) });
  if (r.exitCode !== 0) throw new UserError(`closure diff on ${t.describe} failed: ${nixErrorLine(r.stderr)}`);
  return r.stdout;
}
