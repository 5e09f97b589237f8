// Whether a secret found in a flake file is in git history, so that a finding says "it is in
// git history already" only when a commit holds it. Read-only: the file's own versions (every
// ref and the reflog, following renames) and its staged version are read through
// `git cat-file --batch` and searched here. The secret is never put in an argv (`git log -S`
// would show it to every user of the machine in ps) nor in a file.
import { spawn } from 'node:child_process';

export type GitHistory =
  /** A commit holds the value (the oldest one found, abbreviated). */
  | { state: 'committed'; commit: string }
  /** No commit holds it, but the staged version of the file does. */
  | { state: 'staged' }
  | { state: 'uncommitted' }
  /** The flake is not in a git repository. */
  | { state: 'no-git' }
  /** Not looked at, or git could not answer. */
  | { state: 'unknown' };

export const UNKNOWN: GitHistory = { state: 'unknown' };

const ZERO = /^0+$/;
/** Enough for a flake file's history; a runaway git is stopped. */
const TIMEOUT_MS = 30_000;

interface GitResult {
  code: number;
  out: Buffer;
  err: string;
}

function git(dir: string, args: readonly string[], input?: string): Promise<GitResult | null> {
  return new Promise((resolve) => {
    // GIT_OPTIONAL_LOCKS=0: a read must not take the index lock of a tree others work in.
    const child = spawn('git', ['--literal-pathspecs', '-C', dir, ...args], {
      shell: false,
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    child.on('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128, out: Buffer.concat(out), err: Buffer.concat(err).toString('utf8') });
    });
    if (input !== undefined) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(input);
    }
  });
}

/** The blobs of `file` in history, each with the oldest commit that has it (age: larger is older). */
async function historyBlobs(dir: string, file: string): Promise<Map<string, { commit: string; age: number }> | null> {
  // Every ref, following renames; then the reflog (commits amended or reset away), which
  // git cannot walk together with --follow. -m: a merge that changed the file shows its version.
  const raw = ['-m', '--raw', '--no-abbrev', '--format=commit %H'];
  const [refs, reflog] = await Promise.all([git(dir, ['log', '--all', '--follow', ...raw, '--', file]), git(dir, ['log', '--reflog', ...raw, '--', file])]);
  if (!refs || refs.code !== 0) return null;
  const blobs = new Map<string, { commit: string; age: number }>();
  let age = 0;
  for (const r of [refs, reflog]) {
    if (!r || r.code !== 0) continue;
    let commit = '';
    // Newest first: the last commit seen for a blob is the oldest.
    for (const line of r.out.toString('utf8').split('\n')) {
      if (line.startsWith('commit ')) {
        commit = line.slice(7, 19);
        age++;
      } else if (line.startsWith(':')) {
        // :<mode> <mode> <old blob> <new blob> <status>\t<path>[\t<path>]
        const [, , before, after] = line.split('\t')[0]!.split(' ');
        for (const b of [before, after]) if (b && !ZERO.test(b) && (r === refs || !blobs.has(b))) blobs.set(b, { commit, age });
      }
    }
  }
  return blobs;
}

/** The staged blob of `file`, if it is in the index. */
async function stagedBlob(dir: string, file: string): Promise<string | null> {
  const r = await git(dir, ['ls-files', '--stage', '--', file]);
  if (!r || r.code !== 0) return null;
  const m = /^\d+ ([0-9a-f]+) \d\t/.exec(r.out.toString('utf8'));
  return m ? m[1]! : null;
}

/** The contents of blobs, read in one `git cat-file --batch`. */
async function readBlobs(dir: string, ids: readonly string[]): Promise<Map<string, Buffer> | null> {
  const out = new Map<string, Buffer>();
  if (ids.length === 0) return out;
  const r = await git(dir, ['cat-file', '--batch'], `${ids.join('\n')}\n`);
  if (!r || r.code !== 0) return null;
  // <id> blob <size>\n<bytes>\n, or <id> missing\n
  let at = 0;
  while (at < r.out.length) {
    const nl = r.out.indexOf(0x0a, at);
    if (nl < 0) break;
    const [id, type, size] = r.out.toString('utf8', at, nl).split(' ');
    at = nl + 1;
    if (type === 'missing' || size === undefined) continue;
    const n = Number(size);
    out.set(id!, r.out.subarray(at, at + n));
    at += n + 1;
  }
  return out;
}

/**
 * Where each of `needles` (secret values, or the text of their lines) stands in the git
 * history of `file` (relative to `dir`, the flake directory).
 */
export async function secretHistory(dir: string, file: string, needles: readonly string[]): Promise<Map<string, GitHistory>> {
  const result = new Map<string, GitHistory>();
  const all = (h: GitHistory): Map<string, GitHistory> => {
    for (const n of needles) result.set(n, h);
    return result;
  };
  if (needles.length === 0) return result;
  const inside = await git(dir, ['rev-parse', '--is-inside-work-tree']);
  if (!inside) return all(UNKNOWN); // no git here
  if (inside.code !== 0) return all(/not a git repository/i.test(inside.err) ? { state: 'no-git' } : UNKNOWN);
  const [history, staged] = await Promise.all([historyBlobs(dir, file), stagedBlob(dir, file)]);
  if (!history) return all(UNKNOWN);
  const contents = await readBlobs(dir, [...new Set([...history.keys(), ...(staged ? [staged] : [])])]);
  if (!contents) return all(UNKNOWN);
  for (const n of needles) {
    const bytes = Buffer.from(n, 'utf8');
    let found: GitHistory = { state: 'uncommitted' };
    let oldest = -1;
    for (const [blob, c] of history) {
      if (c.age > oldest && contents.get(blob)?.includes(bytes)) {
        found = { state: 'committed', commit: c.commit };
        oldest = c.age;
      }
    }
    if (found.state === 'uncommitted' && staged && contents.get(staged)?.includes(bytes)) found = { state: 'staged' };
    result.set(n, found);
  }
  return result;
}
