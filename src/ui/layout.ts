// The screen's fixed parts as lines (header, tabs, banners, answer, footer), so the main panel
// gets exactly the rows that are left: the frame never grows past the terminal.
import type { Panel, UiState } from './session/state.js';
import { line, seg, wrapWords as wrap, type Line } from './lines.js';
import { flagBanner } from './panels/modelFlags.js';

export const PANELS: Record<'deploy' | 'incident', Panel[]> = {
  deploy: ['plan', 'diff', 'steps', 'output', 'health'],
  incident: ['generations', 'steps', 'output', 'health'],
};

export function panelsOf(s: UiState): Panel[] {
  return s.incident ? PANELS.incident : PANELS.deploy;
}

export function headerLine(s: UiState): Line {
  const p = s.plan;
  const env = p?.host.environment ?? s.environment ?? s.hosts.find((h) => h.name === s.host)?.environment ?? '';
  const status = s.result ? (s.result.ok ? 'DONE' : 'FAILED') : s.incident ? 'INCIDENT' : (p?.status.toUpperCase() ?? (s.mode === 'picker' ? 'pick a host' : 'planning'));
  const tone = s.result ? (s.result.ok ? 'ok' : 'bad') : s.incident ? 'bad' : p?.status === 'blocked' ? 'bad' : p?.status === 'ready' ? 'ok' : 'info';
  const gens = p ? `  gen ${p.generations.current?.number ?? '-'} → ${p.generations.next ? (p.generations.current?.number ?? 0) + 1 : '-'}` : '';
  return [seg('clawdeploy ', 'accent', true), seg(s.host ? `${s.host}${env ? ` (${env})` : ''} ` : ''), seg(` ${status} `, tone, true), seg(gens, 'dim')];
}

export function tabsLine(s: UiState): Line {
  if (s.mode === 'picker') return line('↑/↓ choose a host · Enter plan it · Ctrl-C quit', 'dim');
  const out: Line = [];
  for (const p of panelsOf(s)) out.push(seg(p === s.panel ? `[${p}]` : ` ${p} `, p === s.panel ? 'accent' : 'dim', p === s.panel), seg(' '));
  out.push(seg(' Tab switch · PgUp/PgDn scroll', 'dim'));
  return out;
}

export function bannerLines(s: UiState, width: number): Line[] {
  const all = [...s.banners.map((b) => ({ ...b })), ...(s.result ? [{ text: s.result.message, tone: s.result.ok ? ('ok' as const) : ('bad' as const) }] : [])];
  // The newest matter most at 3 a.m.: keep the last three, each at most two rows.
  return all.slice(-3).flatMap((b) =>
    wrap(b.text, width)
      .slice(0, 2)
      .map((t) => line(t, b.tone, true)),
  );
}

export function answerLines(s: UiState, width: number, max: number): Line[] {
  if (!s.answer && !s.asking) return [];
  const rows = wrap(s.answer.trim() || '…', width - 2, '  ');
  // A flagged answer says so in the rows it has, ahead of its text.
  const flag = flagBanner(s.answer);
  const shown = rows.slice(-Math.max(1, max - flag.length));
  return [
    line(`Answer${s.asking ? ' (streaming; Ctrl-C stops it)' : ''}${rows.length > shown.length ? ` (last ${shown.length} of ${rows.length} lines)` : ''}`, 'info', true),
    ...flag,
    ...shown.map((t) => line(t)),
  ];
}

export function footerLine(s: UiState): Line {
  if (s.confirm || s.interrupt) return [];
  if (s.mode === 'picker') return [];
  const cmds =
    s.mode === 'plan' ? (s.incident ? '/quit' : '/apply /diff /steps /rollback /quit') : s.mode === 'applying' ? 'Ctrl-O output · Ctrl-C stop/roll back' : '/health /steps /output /rollback /quit';
  return line(`type a question, or ${cmds}`, 'dim');
}
