// Where Nix says an error is: the first "at FILE:LINE:COL:" after it. Nix names its store copy of
// the flake; a file of the flake itself is given by its path in the flake, others as Nix gives them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// A store path (Nix 2.8+) or a «git+file://…» source root (newer Nix), then the file in it.
const AT = /^\s*at (\/nix\/store\/[a-z0-9]{32}-[^/\s]+|«[^»\s]+»)\/(\S+?):(\d+):(\d+):?\s*$/;
const SNIPPET = /^\s*(\d+)\|(.*)$/;

export function nixErrorLocation(stderr: string, flakeDir: string): string | null {
  const lines = stderr.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const start = lines.findIndex((l) => l.startsWith('error:'));
  for (let i = Math.max(start, 0); i < lines.length; i++) {
    const m = AT.exec(lines[i]!);
    if (!m) continue;
    const [, root, file, line, col] = m as unknown as [string, string, string, string, string];
    // The line Nix quotes, to tell the flake's own flake.nix from an input's.
    const quoted = lines
      .slice(i + 1)
      .map((l) => SNIPPET.exec(l))
      .find((s) => s && s[1] === line)?.[2];
    return `${inFlake(flakeDir, file, Number(line), quoted) ? file : `${root}/${file}`}:${line}:${col}`;
  }
  return null;
}

function inFlake(flakeDir: string, file: string, line: number, quoted: string | undefined): boolean {
  const path = join(flakeDir, file);
  if (file.split('/').includes('..') || !existsSync(path)) return false;
  if (quoted === undefined) return true;
  try {
    return readFileSync(path, 'utf8').split('\n')[line - 1]?.trim() === quoted.trim();
  } catch {
    return false;
  }
}
