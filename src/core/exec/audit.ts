// The audit log: append-only JSONL, one entry per step outcome (refusals included), already
// redacted by the executor: it never holds a raw secret (claude-code #59094, codex #34233).
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.js';
import { stateDir } from '../records/path.js';
import type { AuditEntry, AuditLog } from './types.js';

export const AUDIT_FILE = 'audit.jsonl';

/** `<state dir>/audit.jsonl`, beside records.db (CLAWDEPLOY_STATE_DIR, XDG_STATE_HOME/clawdeploy, ~/.local/state/clawdeploy). */
export function auditPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), AUDIT_FILE);
}

export interface FileAuditLog extends AuditLog {
  readonly path: string;
}

/** Opens (creating, 0600) the log for appending; fails now rather than after a step has run. */
export function openAuditLog(path: string = auditPath()): FileAuditLog {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  } catch (e) {
    throw new UserError(`audit log ${path}: cannot open for appending (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return {
    path,
    // One write per line in O_APPEND mode: concurrent clawdeploy processes never interleave a line.
    append: (entry) => appendFileSync(path, `${JSON.stringify(entry)}\n`, { flag: 'a', mode: 0o600 }),
  };
}

/** Every entry, oldest first. A last line cut short by a crash is skipped; any other bad line is an error. */
export function readAudit(path: string = auditPath()): AuditEntry[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n') ? lines.slice(0, -1) : lines;
  const out: AuditEntry[] = [];
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as AuditEntry);
    } catch {
      if (i === complete.length - 1 && !text.endsWith('\n')) return;
      throw new UserError(`audit log ${path}: line ${i + 1} is not JSON`);
    }
  });
  return out;
}
