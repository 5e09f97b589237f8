// Which runbook a file is (one host's, or a fleet's), to route `apply --runbook`; a file that
// cannot be read or parsed is left to the one-host reader, whose errors name it.
import { readFileSync } from 'node:fs';

export function runbookKind(file: string): string | null {
  try {
    const kind = (JSON.parse(readFileSync(file, 'utf8')) as { kind?: unknown } | null)?.kind;
    return typeof kind === 'string' ? kind : null;
  } catch {
    return null;
  }
}
