// A cache of `nix eval` results for the inventory, so a rollback in an incident does not wait
// for two to three evaluations (~40 ms each, most of it Nix starting and copying the flake)
// before it can even say which host it is talking to. Nix's own eval cache does not cover
// dirty trees or --apply, which is most of what we evaluate.
//
// The key is a fingerprint of everything a pure flake evaluation can read: the content of
// every file git tracks in the flake's repository (what Nix copies, working-tree content
// included), HEAD (self.rev, lastModified), flake.lock (inputs pinned by narHash are
// immutable), the nix binary and clawdeploy's version. Any change misses; errors are never
// cached. No fingerprint (so no cache) when the flake is not in a git repository, has no
// lock, has an input without a narHash, or is too big to hash quickly.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { runProcess } from '../proc.js';
import { PACKAGE_JSON } from '../paths.js';

const MAX_FILES = 5000;
const MAX_BYTES = 32 * 1024 * 1024;
const MAX_ENTRIES = 400;

/** `$CLAWDEPLOY_CACHE_DIR`, else `$XDG_CACHE_HOME/clawdeploy`, else `~/.cache/clawdeploy`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['CLAWDEPLOY_CACHE_DIR']) return resolve(env['CLAWDEPLOY_CACHE_DIR']);
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg && isAbsolute(xdg)) return join(xdg, 'clawdeploy');
  return join(env['HOME'] || homedir(), '.cache', 'clawdeploy');
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/** The nix binary on PATH and its modification time: a Nix upgrade misses. */
function nixIdentity(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const p = join(dir, 'nix');
    if (!dir || !existsSync(p)) continue;
    const real = realpathSync(p);
    return `${real}@${statSync(real).mtimeMs}`;
  }
  return 'no-nix';
}

let version: string | undefined;
function ownVersion(): string {
  return (version ??= (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version);
}

/** Every input of flake.lock is pinned by a narHash (else Nix may fetch something new). */
function lockIsPinned(lock: string): boolean {
  try {
    const nodes = (JSON.parse(lock) as { nodes?: Record<string, { locked?: { narHash?: string } }>; root?: string }).nodes ?? {};
    return Object.entries(nodes).every(([, n]) => !n.locked || typeof n.locked.narHash === 'string');
  } catch {
    return false;
  }
}

async function computeFingerprint(flakeDir: string): Promise<string | null> {
  const lockPath = join(flakeDir, 'flake.lock');
  if (!existsSync(lockPath)) return null;
  const lock = readFileSync(lockPath, 'utf8');
  if (!lockIsPinned(lock)) return null;
  const [head, files] = await Promise.all([
    runProcess('git', ['-C', flakeDir, 'rev-parse', '--show-toplevel', 'HEAD']),
    // The whole repository: a flake in a subdirectory may import files above it.
    runProcess('git', ['-C', flakeDir, 'ls-files', '-z', '--cached', '--full-name', ':/']),
  ]);
  if (head.exitCode !== 0 || files.exitCode !== 0) return null;
  const [root, rev] = head.stdout.trim().split('\n');
  if (!root || !rev) return null;
  const paths = files.stdout.split('\0').filter(Boolean).sort();
  if (paths.length > MAX_FILES) return null;
  const h = createHash('sha256');
  h.update(`clawdeploy ${ownVersion()}\0nix ${nixIdentity()}\0dir ${relative(root, realpathSync(flakeDir))}\0rev ${rev}\0`);
  let bytes = 0;
  for (const p of paths) {
    const full = join(root, p);
    h.update(`${p}\0`);
    let st;
    try {
      st = lstatSync(full);
    } catch {
      h.update('missing\0');
      continue;
    }
    if (st.isSymbolicLink()) h.update(`link ${readlinkSync(full)}\0`);
    else if (st.isFile()) {
      bytes += st.size;
      if (bytes > MAX_BYTES) return null;
      h.update(`${st.mode & 0o111 ? 'exec' : 'file'} ${st.size}\0`);
      h.update(readFileSync(full));
    } else h.update('other\0');
  }
  return h.digest('hex');
}

const inFlight = new Map<string, Promise<string | null>>();

/**
 * The flake's fingerprint (null: do not cache). Computed afresh for each call, since a session
 * may outlive an edit; calls made at the same time share one computation.
 */
export function flakeFingerprint(flakeDir: string): Promise<string | null> {
  const dir = resolve(flakeDir);
  let p = inFlight.get(dir);
  if (!p) {
    p = computeFingerprint(dir).catch(() => null);
    inFlight.set(dir, p);
    void p.finally(() => inFlight.delete(dir));
  }
  return p;
}

type Cached = { value: unknown } | { absent: true };

function entryPath(fingerprint: string, attribute: string, apply: string | undefined): string {
  return join(cacheDir(), 'eval', `${sha(`${fingerprint}\0${attribute}\0${apply ?? ''}`)}.json`);
}

function read(path: string): Cached | undefined {
  try {
    const c = JSON.parse(readFileSync(path, 'utf8')) as Cached;
    return 'value' in c || 'absent' in c ? c : undefined;
  } catch {
    return undefined;
  }
}

function write(path: string, c: Cached): void {
  try {
    const dir = join(path, '..');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Old entries are dropped when the directory grows past its bound (oldest first).
    const names = readdirSync(dir);
    if (names.length >= MAX_ENTRIES) {
      const byAge = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(dir, n), { force: true });
    }
    // Written whole then renamed: a concurrent reader never sees half a file.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(c), { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs time.
  }
}

/**
 * `evaluate()`'s result for this flake, attribute and --apply, from the cache when the flake is
 * unchanged. `evaluate` returns undefined for "the flake has no such attribute" (cached too).
 */
export async function cachedEval(
  flakeDir: string,
  attribute: string,
  apply: string | undefined,
  evaluate: () => Promise<unknown>,
  /** One fingerprint for several lookups of one operation (else computed for this one). */
  fingerprint?: Promise<string | null>,
): Promise<unknown> {
  if (process.env['CLAWDEPLOY_NO_CACHE']) return evaluate();
  const fp = await (fingerprint ?? flakeFingerprint(flakeDir));
  if (!fp) return evaluate();
  const path = entryPath(fp, attribute, apply);
  const hit = read(path);
  if (hit) return 'absent' in hit ? undefined : hit.value;
  const value = await evaluate();
  // Stored only if the flake did not change while Nix read it.
  if ((await flakeFingerprint(flakeDir)) === fp) write(path, value === undefined ? { absent: true } : { value });
  return value;
}
