// Puts a host into a known state the way an earlier deploy would have: builds a revision of
// the flake, makes it the profile's next generation and activates it. Used by the demo to
// create its local host and by the tests to prepare hosts; clawdeploy itself never calls it.
import { execa } from 'execa';
import { join } from 'node:path';
import { NIX_ENV } from './fixtures.js';

export interface SeedOptions {
  flakeDir: string;
  /** The git revision to build (default: the working tree). */
  rev?: string;
  attribute: string;
  profile: string;
  /** The activation command inside the generation (HM: activate; NixOS: bin/switch-to-configuration switch). */
  activate?: string[];
  /** Environment of the activation (HOME of the "host"). */
  env?: Record<string, string>;
}

async function must(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const r = await execa(cmd, args, { env: { ...process.env, ...NIX_ENV, ...env }, reject: false, stdin: 'ignore' });
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Builds and returns the out path of `attribute` at `rev` (or the working tree). */
export async function buildAt(flakeDir: string, attribute: string, rev?: string): Promise<string> {
  const ref = rev ? `git+file://${flakeDir}?rev=${rev}` : flakeDir;
  const out = JSON.parse(await must('nix', ['build', '--no-link', '--json', `${ref}#${attribute}`])) as Array<{ outputs: { out: string } }>;
  return out[0]!.outputs.out;
}

/** Seeds a local host; returns the generation's store path. */
export async function seedLocal(o: SeedOptions): Promise<string> {
  const generation = await buildAt(o.flakeDir, o.attribute, o.rev);
  await must('nix-env', ['--profile', o.profile, '--set', generation]);
  const [script, ...args] = o.activate ?? ['activate'];
  await must(join(o.profile, script!), args, o.env ?? {});
  return generation;
}
