// Is the process that started a deployment still running? kill(pid, 0) says whether the pid
// exists; on Linux /proc also tells zombies (dead, not yet reaped) and a reused pid apart.
import { readFileSync } from 'node:fs';

interface ProcStat {
  state: string;
  /** Start time in clock ticks since boot: with the pid, identifies one process. */
  startTime: string;
}

function procStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) may contain spaces and parentheses: fields resume after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    const startTime = rest[19];
    return state && startTime ? { state, startTime } : null;
  } catch {
    return null;
  }
}

/** A token to store beside the pid so a later reuse of that pid is not taken for the same process. */
export function processStartToken(pid: number): string | null {
  return procStat(pid)?.startTime ?? null;
}

export function isProcessAlive(pid: number, startToken: string | null = null): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: the pid exists but belongs to another user.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true; // no /proc (macOS): kill(0) is all we know
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startToken === null || stat.startTime === startToken;
}
