// Where the ledger lives: an explicit clawdeploy dir, else the XDG state dir, else ~/.local/state.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export const RECORDS_FILE = 'records.db';

/** The clawdeploy state directory (not created here). */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env.CLAWDEPLOY_STATE_DIR;
  if (own) return resolve(own);
  // The XDG spec says relative values are invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'clawdeploy');
  return join(env.HOME || homedir(), '.local', 'state', 'clawdeploy');
}

/** The ledger file: `<stateDir>/records.db`. */
export function statePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), RECORDS_FILE);
}
