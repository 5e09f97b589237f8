// Read-only flake operations: evaluate, build locally, diff closures.
import { mustNix, runNix } from './command.js';
import { flakeError } from './flakeError.js';
import { UserError } from '../errors.js';

/** A flake reference for a local directory. `path:` would ignore git; nix picks git+file itself. */
export function flakeRef(dir: string): string {
  return dir;
}

export async function evalJson(flakeDir: string, attribute: string, apply?: string): Promise<unknown> {
  const args = ['eval', '--json', `${flakeRef(flakeDir)}#${attribute}`];
  if (apply) args.push('--apply', apply);
  const r = await runNix(args);
  if (r.exitCode !== 0) throw flakeError(flakeDir, `flake ${flakeDir}: cannot evaluate ${attribute}`, r.stderr);
  return JSON.parse(r.stdout) as unknown;
}

/** Evaluates an output attribute that may be absent: undefined when the flake does not provide it. */
export async function evalOptional(flakeDir: string, attribute: string, apply?: string): Promise<unknown> {
  const args = ['eval', '--json', `${flakeRef(flakeDir)}#${attribute}`];
  if (apply) args.push('--apply', apply);
  const r = await runNix(args);
  if (r.exitCode !== 0) {
    // A missing attribute is "not declared"; anything else is an evaluation failure the user must see.
    if (/does not provide attribute/.test(r.stderr)) return undefined;
    throw flakeError(flakeDir, `flake ${flakeDir}: cannot evaluate ${attribute}`, r.stderr);
  }
  return JSON.parse(r.stdout) as unknown;
}

export interface BuildResult {
  drvPath: string;
  outPath: string;
}

/** Builds locally (read-only for every host) and returns the output path. Nix 2.8 has no --print-out-paths. */
export async function build(flakeDir: string, attribute: string): Promise<BuildResult> {
  const r = await runNix(['build', '--no-link', '--json', `${flakeRef(flakeDir)}#${attribute}`]);
  if (r.exitCode !== 0) throw flakeError(flakeDir, `build of ${attribute} failed`, r.stderr);
  const parsed = JSON.parse(r.stdout) as Array<{ drvPath: string; outputs: Record<string, string> }>;
  const first = parsed[0];
  const outPath = first?.outputs['out'];
  if (!first || !outPath) throw new UserError(`build of ${attribute}: nix returned no output path`);
  return { drvPath: first.drvPath, outPath };
}

/** `nix store diff-closures A B` in the local store; empty output means identical closures. */
export async function diffClosures(from: string, to: string): Promise<string> {
  return mustNix('closure diff failed', ['store', 'diff-closures', from, to]);
}
