// Read-only git queries on the flake's repository.
import { UserError } from './errors.js';
import { runProcess } from './proc.js';

async function git(dir: string, args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const r = await runProcess('git', ['-C', dir, ...args]);
  return { ok: r.exitCode === 0, stdout: r.stdout, stderr: r.stderr };
}

export async function isGitRepo(dir: string): Promise<boolean> {
  return (await git(dir, ['rev-parse', '--is-inside-work-tree'])).ok;
}

export async function headRev(dir: string): Promise<string | null> {
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  return r.ok ? r.stdout.trim() : null;
}

/** The full rev of a user-given revision, or a one-line error naming it. */
export async function resolveRev(dir: string, rev: string): Promise<string> {
  if (rev.startsWith('-')) throw new UserError(`--base ${rev}: not a revision`);
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (!r.ok) throw new UserError(`--base ${rev}: no such revision in ${dir}`);
  return r.stdout.trim();
}

export async function isDirty(dir: string): Promise<boolean> {
  const r = await git(dir, ['status', '--porcelain', '--untracked-files=no']);
  return r.ok && r.stdout.trim().length > 0;
}

/** Files git knows in the working tree (tracked or staged): what a git flake's source contains. */
export async function trackedFiles(dir: string): Promise<string[]> {
  const r = await git(dir, ['ls-files', '-z', '--cached']);
  return r.ok ? r.stdout.split('\0').filter(Boolean).sort() : [];
}

/** A file's content at a revision, or null when it did not exist there. */
export async function fileAt(dir: string, rev: string, path: string): Promise<string | null> {
  const r = await git(dir, ['show', `${rev}:${path}`]);
  return r.ok ? r.stdout : null;
}

export async function filesAt(dir: string, rev: string): Promise<string[]> {
  const r = await git(dir, ['ls-tree', '-r', '-z', '--name-only', rev]);
  return r.ok ? r.stdout.split('\0').filter(Boolean).sort() : [];
}
