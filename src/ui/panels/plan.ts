// The plan as lines: the explanation (streamed; offline it is the template), the changes, and
// the findings with blocking ones first and loud.
import type { Finding, Plan } from '../../core/plan/schema.js';
import { line, seg, wrapWords as wrap, type Line } from '../lines.js';
import { flagLines } from './modelFlags.js';

const SEVERITY_ORDER = { block: 0, warn: 1, info: 2 } as const;

export function findingLines(findings: Finding[], width: number): Line[] {
  if (!findings.length) return [line('No findings.', 'ok')];
  const out: Line[] = [];
  for (const f of [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])) {
    const tag = f.severity === 'block' ? seg(' BLOCK ', 'bad', true) : f.severity === 'warn' ? seg(' WARN  ', 'warn') : seg(' info  ', 'dim');
    const [first = '', ...rest] = wrap(`${f.code}${f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ''}: ${f.message}`, width - 8);
    out.push([tag, seg(first, f.severity === 'block' ? 'bad' : undefined, f.severity === 'block')]);
    for (const r of rest) out.push([seg(`       ${r}`)]);
    if (f.fix) for (const r of wrap(`fix: ${f.fix}`, width - 8)) out.push([seg(`       ${r}`, 'dim')]);
  }
  return out;
}

export function planLines(plan: Plan, explanation: string, width: number): Line[] {
  const out: Line[] = [];
  const text = explanation.trim() || plan.summary.join('\n');
  // The model's words that read like instructions are flagged before they are read.
  out.push(...flagLines(explanation));
  for (const l of wrap(text, width - 2, '  ')) out.push(line(l));
  // Findings before changes: a blocking one must be seen without scrolling.
  out.push([], line('Findings', 'info', true), ...findingLines(plan.findings, width));
  out.push([], line('Changes', 'info', true));
  if (!plan.changes.length) out.push(line('  none'));
  for (const c of plan.changes) out.push([seg(`  ${c.kind.padEnd(16)} `, 'dim'), seg(c.summary)]);
  return out;
}
