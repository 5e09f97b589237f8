// Why a file the user named cannot be read, in the words of an error line ("no such file").
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return code ?? (e instanceof Error ? e.message : String(e));
}
