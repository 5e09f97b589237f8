// Reads the flake's sources the way Nix would see them (git-tracked files of the working
// tree), without running Nix: the secret scan must happen before Nix copies them to the store.
import { existsSync, readFileSync, statSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../errors.js';
import { isGitRepo, trackedFiles, fileAt, filesAt } from '../git.js';

const SCANNED = /\.(nix|json|lock|env|ya?ml|toml|md|txt|conf|ini|sh)$|(^|\/)\.env[^/]*$/;
const MAX_FILE = 1024 * 1024;

export function assertFlakeDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--flake ${dir}: no such directory`);
  if (!existsSync(join(dir, 'flake.nix'))) throw new UserError(`--flake ${dir}: no flake.nix in this directory`);
}

function walk(root: string, dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === 'node_modules' || e.name === 'result') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if (e.isFile()) out.push(relative(root, p));
  }
}

export interface SourceFile {
  path: string;
  content: string;
}

/** The text files of the flake's working tree that Nix would copy (tracked files in a git repo). */
export async function worktreeSources(dir: string): Promise<SourceFile[]> {
  let paths: string[];
  if (await isGitRepo(dir)) paths = await trackedFiles(dir);
  else {
    paths = [];
    walk(dir, dir, paths);
    paths.sort();
  }
  const out: SourceFile[] = [];
  for (const path of paths) {
    if (!SCANNED.test(path)) continue;
    const full = join(dir, path);
    if (!existsSync(full) || statSync(full).size > MAX_FILE) continue;
    out.push({ path, content: readFileSync(full, 'utf8') });
  }
  return out;
}

/** The same set of files at a git revision (for the source diff against the base). */
export async function sourcesAt(dir: string, rev: string): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const path of await filesAt(dir, rev)) {
    if (!SCANNED.test(path)) continue;
    const content = await fileAt(dir, rev, path);
    if (content !== null && content.length <= MAX_FILE) out.push({ path, content });
  }
  return out;
}
