// The fleet view's fixed parts as lines (header, footer) and the spinner's label, so the waves get
// exactly the rows that are left: the frame never grows past the terminal.
import type { FleetState } from './session/fleetState.js';
import { line, seg, type Line } from './lines.js';
import type { Tone } from './theme.js';

function status(s: FleetState): [string, Tone] {
  const at = s.waves.findIndex((w) => w.index === s.current);
  const wave = s.waves[at];
  const failed = s.waves.some((w) => w.state === 'failed' || w.state === 'rolling-back');
  if (s.stage === 'done') {
    if (failed) return ['FAILED', 'bad'];
    if (s.waves.some((w) => w.state === 'declined')) return ['STOPPED', 'warn'];
    if (s.waves.length ? s.waves.every((w) => w.state === 'passed') : s.hosts.length && s.hosts.every((h) => h.state === 'no-change')) return ['DONE', 'ok'];
    return ['NOT STARTED', 'bad'];
  }
  if (s.stage === 'reaching') return ['REACHING', 'info'];
  if (!wave) return ['PLANNING', 'info'];
  const of = `WAVE ${at + 1} OF ${s.waves.length}`;
  if (wave.state === 'asking') return [`${of}: APPROVAL`, 'warn'];
  if (wave.state === 'rolling-back') return [`${of}: ROLLING BACK`, 'bad'];
  if (wave.state === 'failed') return [`${of}: FAILED`, 'bad'];
  if (wave.state === 'declined') return ['STOPPED', 'warn'];
  return [of, wave.state === 'passed' ? 'ok' : 'info'];
}

export function fleetHeader(s: FleetState): Line {
  const [text, tone] = status(s);
  const n = s.hosts.length;
  return [
    seg('clawdeploy ', 'accent', true),
    seg(`rollout ${s.rollout ? `${s.rollout.slice(0, 8)} ` : ''}${s.selector} `),
    seg(` ${text} `, tone, true),
    seg(`  ${n} host${n === 1 ? '' : 's'}`, 'dim'),
  ];
}

export function fleetFooter(s: FleetState): Line[] {
  if (s.ask || s.stage === 'done') return [];
  return [line(s.stop ? '↑/↓ PgUp/PgDn scroll' : 'Ctrl-C stop before the next wave · ↑/↓ PgUp/PgDn scroll', 'dim')];
}

/** What the spinner says, while something runs that takes a while; null: nothing does. */
export function fleetProgress(s: FleetState): { key: string; label: string } | null {
  if (s.ask || s.stage === 'done') return null;
  if (s.stage === 'reaching') return { key: 'reaching', label: `reaching ${s.selector}` };
  if (s.stage === 'planning') {
    const planned = s.hosts.filter((h) => h.environment !== null).length;
    return { key: 'planning', label: `planning every host: ${planned} of ${s.hosts.length} planned` };
  }
  const wave = s.waves.find((w) => w.index === s.current);
  if (wave?.state === 'running') return { key: `run-${wave.index}`, label: `${wave.label}: deploying ${wave.hosts.join(', ')}` };
  if (wave?.state === 'rolling-back') return { key: `back-${wave.index}`, label: `${wave.label} failed: rolling back` };
  return null;
}
