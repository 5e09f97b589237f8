// The health table after validation: each check, and under it each item (one per channel).
import type { HealthRow } from '../session/state.js';
import { line, seg, type Line } from '../lines.js';

export function healthLines(rows: HealthRow[] | null): Line[] {
  if (!rows) return [line('No health results yet: validation runs after the apply steps.', 'dim')];
  const out: Line[] = [[seg('  CHECK'.padEnd(24), 'dim', true), seg('STATE ', 'dim', true), seg('DETAIL', 'dim', true)]];
  for (const r of rows) {
    const ok = r.result.ok;
    if (r.result.notRun) {
      out.push([seg(`  ${r.check}`.padEnd(24)), seg('-     ', 'dim'), seg(r.result.summary, 'dim')]);
      continue;
    }
    out.push([seg(`  ${r.check}`.padEnd(24)), seg(ok ? 'ok    ' : 'FAIL  ', ok ? 'ok' : 'bad', !ok), seg(r.result.summary, ok ? undefined : 'bad')]);
    for (const i of r.result.items ?? []) out.push([seg(`    ${i.name}`.padEnd(24), 'dim'), seg(i.ok ? 'ok    ' : 'FAIL  ', i.ok ? 'ok' : 'bad', !i.ok), seg(i.detail, i.ok ? 'dim' : 'bad')]);
  }
  return out;
}
