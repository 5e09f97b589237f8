// Incident mode's first screen: the generations (current, last known good, target), the advice,
// what changes from the current generation to the target, and the health now.
import type { RollbackProposal } from '../../core/deploy/rollback.js';
import { line, seg, wrapWords, type Line } from '../lines.js';
import { flagLines } from './modelFlags.js';

export function generationLines(p: RollbackProposal | null, advice = '', width = 80): Line[] {
  if (!p) return [line('Reading the generations, the health now and the diff…', 'dim')];
  const out: Line[] = [line('Generations', 'info', true)];
  for (const g of [...p.generations].sort((a, b) => b.number - a.number)) {
    const marks = [g.current ? 'current' : '', g.lastKnownGood ? 'last known good' : '', g.number === p.target.number ? '<- target' : ''].filter(Boolean).join(', ');
    const tone = g.number === p.target.number ? 'ok' : g.current ? 'warn' : undefined;
    out.push([seg(`  ${String(g.number).padStart(4)}  `, tone, g.number === p.target.number), seg(`${g.date.padEnd(20)} `), seg(marks, tone)]);
  }
  // The recommendation first (read in an incident), the evidence below it.
  if (advice.trim()) {
    out.push([], line('Advice', 'info', true), ...flagLines(advice));
    for (const para of advice.trim().split('\n')) for (const l of wrapWords(para, width - 4)) out.push(line(`  ${l}`));
  }
  out.push([], line(`From generation ${p.current.number} to ${p.target.number}`, 'info', true));
  // The session always asks before the switch, so the changes are known here.
  if (!p.changes?.length) out.push(line('  no package or config change', 'dim'));
  for (const c of p.changes ?? []) out.push([seg(`  ${c.kind.padEnd(16)} `, 'dim'), seg(c.summary)]);
  out.push(line('  Runtime state (sessions, pairing, memory) is not rolled back with the generation.', 'dim'));
  out.push([], line('Health now', 'info', true));
  for (const h of p.healthNow)
    out.push([
      seg(`  ${h.result.ok ? 'ok  ' : h.result.notRun ? '-   ' : 'FAIL'} `, h.result.ok ? 'ok' : h.result.notRun ? 'dim' : 'bad', !h.result.ok && !h.result.notRun),
      seg(`${h.check}: ${h.result.summary}`),
    ]);
  return out;
}
