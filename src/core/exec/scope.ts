// The executor's own check of where a step's paths point, before anything runs (defence in
// depth: it does not rely on whoever built the step having asked the catalog). The catalog's
// declared scopes again, against the host this context runs on; and where the executor sees the
// host's files itself (a local host), no symbolic link where an action prints a file's content.
import { lstatSync, readlinkSync } from 'node:fs';
import type { Host } from '../inventory/schema.js';
import type { ActionSpec } from '../plan/catalog.js';
import { pathsProblem, type PathArg } from '../plan/pathScope.js';

/** Why the step's paths may not be touched on `host`, or null. */
export function scopeRefusal(action: string, args: unknown, spec: ActionSpec, host: Host): string | null {
  const paths = spec.paths as Readonly<Record<string, PathArg>> | undefined;
  const outside = pathsProblem(paths, args, host);
  if (outside) return `${action}: ${outside}`;
  // Over ssh the link could only be seen by running something outside the catalog.
  if (spec.on !== 'host' || host.target !== 'local') return null;
  for (const [arg, decl] of Object.entries(paths ?? {})) {
    if (!decl.readsContent) continue;
    const path = String((args as Record<string, unknown>)[arg]);
    const target = linkTarget(path);
    if (target !== null) return `${action}: ${arg}: ${path} is a symbolic link (to ${target}): reading it would follow the link out of scope`;
  }
  return null;
}

function linkTarget(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    // Missing or unreadable: the command itself reports that.
    return null;
  }
}
