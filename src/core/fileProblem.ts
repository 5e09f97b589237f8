// Why a file the user named cannot be read, in the words of an error line ("no such file"),
// and the reading of such a file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from './errors.js';

export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** A file the user named, as text; one that cannot be read is a one-line error naming it (exit 2). */
export function readUserFile(file: string): string {
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch (e) {
    throw new UserError(`${file}: ${fileProblem(e)}`);
  }
}
