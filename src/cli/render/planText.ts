// The plan as plain terminal text (the ink session renders the same Plan its own way).
import type { Plan } from '../../core/plan/schema.js';
import { displayStep } from '../../core/plan/display.js';

export function renderPlanText(plan: Plan): string {
  const h = plan.host;
  const lines = [`Plan for ${h.name}${h.environment ? ` (${h.environment})` : ''}: ${plan.status.toUpperCase()}   ${plan.hash}`, ''];
  lines.push(...plan.summary.map((s) => `  ${s}`), '');
  if (plan.changes.length) {
    lines.push('Changes:');
    for (const c of plan.changes) lines.push(`  - [${c.kind}] ${c.summary}`);
    lines.push('');
  }
  if (plan.findings.length) {
    lines.push('Findings:');
    for (const f of plan.findings) {
      const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '';
      lines.push(`  ${f.severity.toUpperCase().padEnd(5)} ${f.code}${where}: ${f.message}`);
      if (f.fix) lines.push(`        fix: ${f.fix}`);
    }
    lines.push('');
  }
  for (const [title, steps] of [
    ['Apply', plan.steps.apply],
    ['Validate', plan.steps.validate],
    ['Rollback', plan.steps.rollback],
  ] as const) {
    if (!steps.length) continue;
    lines.push(`${title}:`);
    steps.forEach((s, i) => lines.push(`  ${i + 1}. [${s.risk}] ${displayStep(s, h.target)}`, `     ${s.reason}`));
    lines.push('');
  }
  return lines.join('\n');
}
