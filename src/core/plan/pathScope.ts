// Where a path argument may point. Each catalog action declares, per path argument, the scope its
// value must be in: the host's declared profile, clawdeploy's own directory, the gateway's log, a
// secret the host's config declares, the store. The table below says what each scope admits for
// a host; nothing outside it is ever read or written, whatever a plan or a model asks for.
import type { Host } from '../inventory/schema.js';

export type PathScope = 'profile' | 'state-dir' | 'state-file' | 'gateway-log' | 'declared-secret' | 'store';

export interface PathArg {
  scope: PathScope;
  /**
   * The action prints the file's content: a symbolic link there would send the read elsewhere
   * (the executor checks it where it can see the host's files, i.e. a local host).
   */
  readsContent?: boolean;
}

/**
 * clawdeploy's own files on the host (lock, record, watchdog canary) live beside the profile,
 * in a directory the deploy user can already write: `<profile>.clawdeploy/`.
 */
export function hostStateDir(host: Host): string {
  return `${host.profile}.clawdeploy`;
}

/** The secret files the host's config references (secret files and the gateway token's files). */
export function declaredSecrets(host: Host): string[] {
  return [...new Set([...host.secretFiles.map((s) => s.path), ...(host.gateway.token?.files ?? [])])];
}

interface ScopeRule {
  /** The paths the host declares for the scope (possibly none). */
  roots(host: Host): string[];
  /** 'exact': one of the roots; 'inside': strictly below one of them. */
  match: 'exact' | 'inside';
  /** Why a path is refused, for the person and the model. */
  refuse(path: string, host: Host): string;
}

const list = (paths: string[]) => (paths.length > 4 ? `${paths.slice(0, 4).join(', ')}, …` : paths.join(', '));

const SCOPES: Readonly<Record<PathScope, ScopeRule>> = {
  profile: {
    roots: (h) => [h.profile],
    match: 'exact',
    refuse: (p, h) => `profile ${p} is not the declared profile of host '${h.name}' (${h.profile})`,
  },
  'state-dir': {
    roots: (h) => [hostStateDir(h)],
    match: 'exact',
    refuse: (p, h) => `${p} is not clawdeploy's directory on host '${h.name}' (${hostStateDir(h)})`,
  },
  'state-file': {
    roots: (h) => [hostStateDir(h)],
    match: 'inside',
    refuse: (p, h) => `${p} is outside clawdeploy's directory on host '${h.name}' (${hostStateDir(h)}/)`,
  },
  'gateway-log': {
    roots: (h) => (h.gateway.logPath ? [h.gateway.logPath] : []),
    match: 'exact',
    refuse: (p, h) =>
      h.gateway.logPath ? `${p} is not the gateway log host '${h.name}' declares (${h.gateway.logPath})` : `${p}: host '${h.name}' declares no gateway log (gateway.logPath), so no log may be read`,
  },
  'declared-secret': {
    roots: declaredSecrets,
    match: 'exact',
    refuse: (p, h) => {
      const d = declaredSecrets(h);
      return d.length ? `${p} is not a secret file host '${h.name}' declares (${list(d)})` : `${p}: host '${h.name}' declares no secret files`;
    },
  },
  store: {
    roots: () => ['/nix/store'],
    match: 'inside',
    refuse: (p) => `${p} is not in the Nix store`,
  },
};

/**
 * Why a path is not in the plain form it is compared in: absolute, with no empty, "." or ".."
 * part (`<log>/../../etc/shadow`, `<dir>//x`, `<dir>/./x`), no trailing "/", no control character.
 * Compared as written, a path in this form cannot name anything outside its prefix.
 */
export function nonCanonical(path: unknown): string | null {
  if (typeof path !== 'string' || !path) return 'must be a path';
  if (/[\x00-\x1f\x7f]/.test(path)) return `${JSON.stringify(path)} contains control characters`;
  if (!path.startsWith('/')) return `${path} is not an absolute path`;
  const parts = path.slice(1).split('/');
  if (parts.some((x) => x === '' || x === '.' || x === '..')) return `${path} is not a plain absolute path (no "..", ".", "//" or trailing "/")`;
  return null;
}

/** Why `path` is outside `scope` for `host`, or null when it is inside. */
export function scopeProblem(scope: PathScope, path: unknown, host: Host): string | null {
  const bad = nonCanonical(path);
  if (bad) return bad;
  const p = path as string;
  const rule = SCOPES[scope];
  // A declared root that is not itself canonical admits nothing (fail closed).
  const roots = rule.roots(host).filter((r) => nonCanonical(r) === null);
  const ok = rule.match === 'exact' ? roots.includes(p) : roots.some((r) => p.startsWith(`${r}/`));
  return ok ? null : rule.refuse(p, host);
}

/** The first path argument outside its declared scope, as `arg: why`; null when every one is in scope. */
export function pathsProblem(paths: Readonly<Record<string, PathArg>> | undefined, args: unknown, host: Host): string | null {
  const values = args && typeof args === 'object' ? (args as Record<string, unknown>) : {};
  for (const [arg, decl] of Object.entries(paths ?? {})) {
    const problem = scopeProblem(decl.scope, Object.hasOwn(values, arg) ? values[arg] : undefined, host);
    if (problem) return `${arg}: ${problem}`;
  }
  return null;
}
