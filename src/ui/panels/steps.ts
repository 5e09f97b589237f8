// The steps with their state; the rollback, when it happens, under its own heading.
import type { StepRow, StepState } from '../session/state.js';
import { line, seg, type Line } from '../lines.js';
import type { Tone } from '../theme.js';

const MARK: Record<StepState, [string, Tone | undefined]> = {
  pending: ['[ ]', 'dim'],
  running: ['[>]', 'info'],
  done: ['[x]', 'ok'],
  failed: ['[!]', 'bad'],
  skipped: ['[-]', 'warn'],
};

/** `asking`: the step whose confirmation is open, marked so the eye finds it. */
export function stepLines(steps: StepRow[], asking?: string): Line[] {
  const out: Line[] = [];
  let phase: string | null = null;
  for (const s of steps) {
    if (s.phase !== phase) {
      phase = s.phase;
      out.push(line(phase === 'apply' ? 'Apply' : phase === 'validate' ? 'Validate' : 'Rollback', phase === 'rollback' ? 'bad' : 'info', true));
    }
    if (s.id === asking && s.state === 'pending') {
      out.push([seg('  [?] ', 'warn', true), seg(s.label.padEnd(20), undefined, true), seg('awaiting your approval', 'warn', true), seg(`  ${s.risk}`, 'dim')]);
      continue;
    }
    const [mark, tone] = MARK[s.state];
    const ms = s.ms !== undefined && s.state !== 'running' ? ` ${(s.ms / 1000).toFixed(1)}s` : '';
    out.push([
      seg(`  ${mark} `, tone),
      seg(s.label.padEnd(20)),
      seg(`${s.state}${ms}`, tone),
      seg(`  ${s.risk}`, 'dim'),
      ...(s.note ? [seg(`  ${s.note}`, s.state === 'failed' ? 'bad' : 'warn')] : []),
    ]);
  }
  return out;
}
