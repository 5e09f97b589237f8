// The fleet view as lines: the waves in order, the current one marked, each host's state, what
// it is doing now and its last health (a failure's reason under it); the hosts outside the waves
// (already current, unreachable) last. Before the waves are cut: every host as it is reached and
// planned.
import type { FleetHost, FleetHostState, FleetState, FleetWave, FleetWaveState } from '../session/fleetState.js';
import { newHost } from '../session/fleetEvents.js';
import { line, seg, wrapWords, type Line } from '../lines.js';
import type { Tone } from '../theme.js';

const HOST: Record<FleetHostState, Tone | undefined> = {
  pending: 'dim',
  running: 'info',
  'rolling-back': 'bad',
  succeeded: 'ok',
  'next-boot': 'warn',
  'no-change': 'dim',
  'rolled-back': 'bad',
  reverted: 'warn',
  failed: 'bad',
  refused: 'warn',
  blocked: 'bad',
  'not-started': 'dim',
  skipped: 'warn',
};

const WAVE: Record<FleetWaveState, [string, Tone]> = {
  pending: ['pending', 'dim'],
  asking: ['awaiting your approval', 'warn'],
  running: ['running', 'info'],
  passed: ['passed: every host validated', 'ok'],
  failed: ['FAILED', 'bad'],
  declined: ['not approved: the rollout stopped', 'warn'],
  'rolling-back': ['FAILED: rolling back the wave', 'bad'],
};

/** Hosts whose outcome needs its reason read. */
const EXPLAINED: ReadonlySet<FleetHostState> = new Set(['next-boot', 'failed', 'rolled-back', 'reverted', 'refused', 'blocked', 'skipped']);

const COLUMNS = [seg('    HOST'.padEnd(20), 'dim', true), seg('STATE'.padEnd(13), 'dim', true), seg('NOW'.padEnd(22), 'dim', true), seg('HEALTH', 'dim', true)];

function doing(h: FleetHost, stage: FleetState['stage']): string {
  if (h.phase || h.step) return [h.phase, h.step].filter(Boolean).join(': ');
  // While the rollout plans: what is known of the host so far.
  if (stage === 'planning' && h.state === 'pending' && h.environment) return `planned: gen ${h.from ?? 'none'} → ${h.to ?? '?'}`;
  return '';
}

const cell = (text: string, room: number) => (text.length >= room ? `${text.slice(0, room - 2)}… ` : text.padEnd(room));

/** Under a host, what to read: why it ended so, or while it runs what it says and what fails. */
function noteOf(h: FleetHost): string | null {
  if (h.state === 'running' || h.state === 'rolling-back') return h.detail ?? (h.health && !h.health.ok ? h.health.text : null);
  return EXPLAINED.has(h.state) ? h.detail : null;
}

function hostLines(h: FleetHost, stage: FleetState['stage'], width: number): Line[] {
  const tone = HOST[h.state];
  const out: Line[] = [
    [
      seg(cell(`    ${h.name}`, 20), h.state === 'pending' || h.state === 'not-started' ? 'dim' : undefined),
      seg(h.state.padEnd(13), tone, h.state === 'failed' || h.state === 'rolling-back'),
      seg(cell(doing(h, stage), 22)),
      h.health ? seg(h.health.short, h.health.ok ? 'ok' : 'bad') : seg('-', 'dim'),
    ],
  ];
  const note = noteOf(h);
  // Two rows at most: the rest of a long reason is in the table printed at the end.
  if (note) for (const t of wrapWords(note.split('\n')[0]!, width, '      ').slice(0, 2)) out.push(line(t, h.state === 'running' ? 'dim' : tone));
  return out;
}

function waveHeader(w: FleetWave, current: boolean, done: boolean): Line {
  // Once the rollout is over, its rollback is too: each host says how it ended.
  const [text, tone] = done && w.state === 'rolling-back' ? WAVE.failed : WAVE[w.state];
  return [seg(current ? '▶ ' : '  ', 'accent', true), seg(`${w.label}  `, current ? 'accent' : undefined, current), seg(text, tone, current || w.state === 'failed' || w.state === 'rolling-back')];
}

/** The lines, and where the current wave starts (the view keeps it in sight). */
export function fleetLines(s: FleetState, width: number): { lines: Line[]; focus: number } {
  if (!s.hosts.length) return { lines: [line(s.stage === 'reaching' ? `Reaching the hosts of ${s.selector}…` : 'No host.', 'dim')], focus: 0 };
  const byName = new Map(s.hosts.map((h) => [h.name, h]));
  const out: Line[] = [COLUMNS];
  let focus = 0;
  const inWaves = new Set(s.waves.flatMap((w) => w.hosts));
  for (const w of s.waves) {
    if (w.index === s.current) focus = out.length;
    out.push(waveHeader(w, w.index === s.current, s.stage === 'done'));
    for (const name of w.hosts) out.push(...hostLines(byName.get(name) ?? newHost(name), s.stage, width));
  }
  const rest = s.hosts.filter((h) => !inWaves.has(h.name));
  if (rest.length) {
    const head = s.waves.length ? 'outside the waves' : s.stage === 'reaching' ? 'reaching the hosts' : s.stage === 'planning' ? 'planning every host' : 'hosts';
    out.push(line(`  ${head}`, 'info', true));
    for (const h of rest) out.push(...hostLines(h, s.stage, width));
  }
  return { lines: out, focus };
}
