// The diff view: the Nix sources (unified patches), the rendered OpenClaw config (field by
// field), and the closure (package versions), coloured like a diff.
import type { Change } from '../../core/plan/schema.js';
import { line, seg, type Line } from '../lines.js';

function patchLines(patch: string): Line[] {
  return patch
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => {
      if (l.startsWith('+++') || l.startsWith('---')) return line(l, 'dim', true);
      if (l.startsWith('@@')) return line(l, 'hunk');
      if (l.startsWith('+')) return line(l, 'add');
      if (l.startsWith('-')) return line(l, 'del');
      return line(l);
    });
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function diffLines(changes: Change[]): Line[] {
  const out: Line[] = [];
  const sources = changes.filter((c) => c.kind === 'source');
  const config = changes.filter((c) => c.kind === 'config');
  const closure = changes.filter((c) => c.kind === 'closure');
  out.push(line('Nix sources', 'info', true));
  if (!sources.length) out.push(line('  unchanged', 'dim'));
  for (const c of sources) {
    const patch = c.detail?.['patch'];
    if (typeof patch === 'string') out.push(...patchLines(patch));
    else out.push(line(`  ${c.summary}${c.detail?.['file'] === 'flake.lock' ? ' (see the closure and the version change)' : ''}`, 'dim'));
  }
  out.push([], line('OpenClaw config (rendered)', 'info', true));
  if (!config.length) out.push(line('  unchanged', 'dim'));
  for (const c of config) {
    out.push(line(`  ${c.summary}`));
    const d = c.detail ?? {};
    if ('from' in d && d['from'] !== undefined && d['from'] !== null) out.push(line(`  - ${show(d['from'])}`, 'del'));
    if ('to' in d && d['to'] !== undefined && d['to'] !== null) out.push(line(`  + ${show(d['to'])}`, 'add'));
  }
  out.push([], line('Closure', 'info', true));
  if (!closure.length) out.push(line('  unchanged', 'dim'));
  for (const c of closure) {
    const entries = c.detail?.['entries'];
    if (!Array.isArray(entries)) out.push(line(`  ${c.summary}`));
    else
      for (const e of entries as Array<{ change?: string; text?: string }>)
        out.push([seg(e.change === 'removed' ? '  - ' : e.change === 'added' ? '  + ' : '  ~ ', e.change === 'removed' ? 'del' : e.change === 'added' ? 'add' : 'warn'), seg(e.text ?? '')]);
    const omitted = c.detail?.['omitted'];
    if (typeof omitted === 'number' && omitted > 0) out.push(line(`  … ${omitted} more`, 'dim'));
  }
  return out;
}
