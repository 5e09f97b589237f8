// The gateway's own words for why it is not healthy: the error lines it logged since the
// activation, read from the log file the host declares (Home Manager: /tmp/openclaw/…, NixOS:
// <stateDir>/logs/gateway.log). A check's summary says what fails ("gateway status: no answer");
// the log often says why ("DISCORD_BOT_TOKEN is not set").
import type { Runner } from './runner.js';
import { makeStep } from '../plan/steps.js';

/** Lines that say something went wrong, in the gateway's and the stand-in's wording. */
const TROUBLE = /\b(error|errors|failed|fail|fatal|unauthorized|blocked|not set|cannot|refus\w*|missing|unavailable|denied|invalid)\b/i;
const ANSI = /\x1b\[[0-9;]*m/g;
/** An ISO time at the start of a line ("2026-12-02T14:55:22.845+00:00 …"). */
const STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))/;

/** Up to `max` distinct trouble lines logged at or after `since`, oldest first; pure for tests. */
export function troubleLines(log: string, since: Date, max = 3): string[] {
  const out: string[] = [];
  for (const raw of log.split('\n')) {
    const line = raw.replace(ANSI, '').trim();
    const m = STAMP.exec(line);
    if (!m || new Date(m[1]!).getTime() < since.getTime() - 1000) continue;
    const text = line.slice(m[1]!.length).trim();
    if (TROUBLE.test(text) && !out.includes(text)) out.push(text);
  }
  return out.slice(-max).map((l) => (l.length > 240 ? `${l.slice(0, 239)}…` : l));
}

/** "line; line" from the host's gateway log since `since`, or null (no log declared, none found). */
export async function gatewayLogCause(runner: Runner, since: Date): Promise<string | null> {
  const path = runner.exec.host.gateway.logPath;
  if (!path) return null;
  const step = makeStep('gateway-log', 'log-tail', { path, lines: 300 }, 'why the gateway is not healthy, in its own words', runner.exec.actionCtx);
  const o = await runner.run(step, 'validate');
  if (o.status !== 'ok') return null;
  const lines = troubleLines(o.stdout, since);
  return lines.length ? lines.join('; ') : null;
}
