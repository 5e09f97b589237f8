// A deploy killed mid-way (kill -9, a lost terminal) leaves its host in between. Every command on
// that host asks this first; the CLI and the ink session word the way out each in their own terms.
import type { Records } from '../records/index.js';

export interface Interruption {
  /** One line: what is unfinished and what to do. */
  message: string;
  /** Another clawdeploy is deploying the host right now (else: one was interrupted). */
  running: boolean;
}

/**
 * What is unfinished on this host, if anything (marks dead deploys of this machine interrupted).
 * `resume` is how the reader resumes: "`clawdeploy apply HOST --resume`" or "/resume".
 */
export function interruption(records: Records, host: string, resume = `\`clawdeploy apply ${host} --resume\``): Interruption | null {
  const scan = records.findInterrupted(host);
  if (scan.inProgress.length) return { running: true, message: `host '${host}': another clawdeploy (pid ${scan.inProgress[0]!.pid}) is deploying it right now` };
  const last = records.history(host, 1)[0];
  if (last?.outcome !== 'interrupted') return null;
  return {
    running: false,
    message: `host '${host}': ${last.operation} ${last.id.slice(0, 8)} (started ${last.startedAt}) was interrupted; run \`clawdeploy rollback ${host}\` to return to generation ${last.generationBefore?.number ?? '?'}, or ${resume} to plan and deploy again`,
  };
}
