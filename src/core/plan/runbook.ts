// A runbook for review: Markdown a person reads, and a JSON sidecar that holds the exact
// plan (with its hash) so that it can be executed later exactly as reviewed.
import type { Plan, Step } from './schema.js';
import { displayStep } from './display.js';
import { canonicalJson } from './hash.js';

export interface RunbookJson {
  kind: 'clawdeploy-runbook';
  version: 1;
  flakeDir: string;
  plan: Plan;
}

export function runbookJson(plan: Plan, flakeDir: string): string {
  const doc: RunbookJson = { kind: 'clawdeploy-runbook', version: 1, flakeDir, plan };
  // Canonical key order, pretty-printed: stable bytes for review tools and diffs.
  return `${JSON.stringify(JSON.parse(canonicalJson(doc)), null, 2)}\n`;
}

const SEVERITY = { block: 'BLOCK', warn: 'warn', info: 'info' } as const;

function stepsSection(title: string, steps: Step[], target: string | null, empty: string): string[] {
  const lines = [`## ${title}`, ''];
  if (!steps.length) return [...lines, empty, ''];
  steps.forEach((s, i) => {
    const where = s.on === 'local' ? 'this machine' : 'the host';
    lines.push(`${i + 1}. **${s.action}** (${s.risk}, on ${where}): ${s.reason}`);
    lines.push('   ```sh', `   ${displayStep(s, target)}`, '   ```');
  });
  lines.push('');
  return lines;
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function runbookMarkdown(plan: Plan, flakeDir: string): string {
  const h = plan.host;
  const lines: string[] = [
    `# Runbook: deploy ${h.name}${h.environment ? ` (${h.environment})` : ''}`,
    '',
    `- Status: **${plan.status}**`,
    `- Plan hash: \`${plan.hash}\``,
    `- Flake: \`${flakeDir}\`, base ${plan.flake.base.rev?.slice(0, 12) ?? 'none'} (${plan.flake.base.source}) → ${plan.flake.target.rev?.slice(0, 12) ?? 'none'}${plan.flake.target.dirty ? ' + uncommitted changes' : ''}`,
    `- Target: ${h.target ?? 'unknown'}, ${h.kind ?? 'unknown kind'}, profile \`${h.profile ?? 'unknown'}\``,
    `- Generations: current ${plan.generations.current ? `${plan.generations.current.number} \`${plan.generations.current.storePath}\`` : 'none'} → next ${plan.generations.next ? `\`${plan.generations.next.storePath}\`` : 'not built'}`,
    '',
    '## What this deploy does',
    '',
    ...plan.summary.map((s) => (s.startsWith('- ') ? s : `${s}`)),
    '',
    '## Changes',
    '',
    ...(plan.changes.length ? plan.changes.map((c) => `- **${c.kind}**: ${c.summary}`) : ['No changes found.']),
    '',
    '## Findings',
    '',
  ];
  if (plan.findings.length) {
    lines.push('| severity | code | finding | where | fix |', '|---|---|---|---|---|');
    for (const f of plan.findings) {
      const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : (f.storePath ?? '');
      lines.push(`| ${SEVERITY[f.severity]} | ${f.code} | ${cell(f.message)} | ${cell(where)} | ${cell(f.fix ?? '')} |`);
    }
  } else {
    lines.push('None.');
  }
  lines.push('');
  lines.push(...stepsSection('Apply', plan.steps.apply, h.target, plan.status === 'blocked' ? 'None: the plan is blocked.' : 'Nothing to apply.'));
  lines.push(...stepsSection('Validate', plan.steps.validate, h.target, 'None.'));
  lines.push(...stepsSection('Rollback', plan.steps.rollback, h.target, plan.generations.current ? 'None needed.' : 'No previous generation exists on the host.'));
  const patches = plan.changes.flatMap((c) => (c.kind === 'source' && typeof c.detail?.['patch'] === 'string' ? [c.detail['patch'] as string] : []));
  if (patches.length) lines.push('## Source diff', '', '```diff', ...patches.map((p) => p.trimEnd()), '```', '');
  lines.push(`Execute exactly this plan later with the JSON sidecar; it is refused if its hash or the host's base changed.`, '');
  return lines.join('\n');
}
