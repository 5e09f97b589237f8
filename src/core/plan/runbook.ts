// A runbook for review: Markdown a person reads, and a JSON sidecar that holds the exact
// plan (with its hash) so that it can be executed later exactly as reviewed. What a model wrote
// into it is checked for instruction-like text, and flagged in both (runbookModelText.ts).
import type { Plan, Step } from './schema.js';
import { displayStep } from './display.js';
import { canonicalJson } from './hash.js';
import { flagModelText, flagPlanText, type ModelTextFlag } from '../assistant/modelText.js';
import { explanationSection, flaggedReason, warningBlock, type Explanation } from './runbookModelText.js';

export interface RunbookJson {
  kind: 'clawdeploy-runbook';
  version: 1;
  flakeDir: string;
  plan: Plan;
  /** Instruction-like text in the model's words (explanation, step reasons), for review tools. */
  modelTextFlags?: ModelTextFlag[];
}

export interface RunbookExtras {
  /** The model's explanation (or the offline template), shown after what the deploy does. */
  explanation?: Explanation;
}

/** Instruction-like text in what a model wrote into this runbook. */
export function runbookFlags(plan: Plan, extras: RunbookExtras = {}): ModelTextFlag[] {
  return [...(extras.explanation ? flagModelText('explanation', extras.explanation.text) : []), ...flagPlanText(plan)];
}

export function runbookJson(plan: Plan, flakeDir: string, extras: RunbookExtras = {}): string {
  const doc: RunbookJson = { kind: 'clawdeploy-runbook', version: 1, flakeDir, plan, modelTextFlags: runbookFlags(plan, extras) };
  // Canonical key order, pretty-printed: stable bytes for review tools and diffs.
  return `${JSON.stringify(JSON.parse(canonicalJson(doc)), null, 2)}\n`;
}

const SEVERITY = { block: 'BLOCK', warn: 'warn', info: 'info' } as const;

function stepsSection(title: string, steps: Step[], target: string | null, empty: string, flagged: (s: Step) => boolean): string[] {
  const lines = [`## ${title}`, ''];
  if (!steps.length) return [...lines, empty, ''];
  steps.forEach((s, i) => {
    const where = s.on === 'local' ? 'this machine' : 'the host';
    lines.push(`${i + 1}. **${s.action}** (${s.risk}, on ${where}): ${flagged(s) ? flaggedReason(s.reason) : s.reason}`);
    lines.push('   ```sh', `   ${displayStep(s, target)}`, '   ```');
  });
  lines.push('');
  return lines;
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function runbookMarkdown(plan: Plan, flakeDir: string, extras: RunbookExtras = {}): string {
  const h = plan.host;
  const flags = runbookFlags(plan, extras);
  const lines: string[] = [
    `# Runbook: deploy ${h.name}${h.environment ? ` (${h.environment})` : ''}`,
    '',
    `- Status: **${plan.status}**`,
    `- Plan hash: \`${plan.hash}\``,
    `- Flake: \`${flakeDir}\`, base ${plan.flake.base.rev?.slice(0, 12) ?? 'none'} (${plan.flake.base.source}) → ${plan.flake.target.rev?.slice(0, 12) ?? 'none'}${plan.flake.target.dirty ? ' + uncommitted changes' : ''}`,
    `- Target: ${h.target ?? 'unknown'}, ${h.kind ?? 'unknown kind'}, profile \`${h.profile ?? 'unknown'}\``,
    // What the deploy does with the build, and where it is built, when not the defaults.
    ...(plan.goal ? [`- Goal: **${plan.goal}**`] : []),
    ...(plan.buildOnTarget ? ['- Built on the host (no closure is copied from this machine)'] : []),
    `- Generations: current ${plan.generations.current ? `${plan.generations.current.number} \`${plan.generations.current.storePath}\`` : 'none'} → next ${plan.generations.next ? `\`${plan.generations.next.storePath}\`` : 'not built'}`,
    '',
    // Before anything else a reviewer reads: the model's words that read like instructions.
    ...warningBlock(flags),
    '## What this deploy does',
    '',
    ...plan.summary.map((s) => (s.startsWith('- ') ? s : `${s}`)),
    '',
    // After the facts: reviewers read what will run, then the commentary.
    ...(extras.explanation ? explanationSection(extras.explanation, flags) : []),
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
  const flagged = (s: Step) => flagModelText('', s.reason).length > 0;
  lines.push(...stepsSection('Apply', plan.steps.apply, h.target, plan.status === 'blocked' ? 'None: the plan is blocked.' : 'Nothing to apply.', flagged));
  lines.push(...stepsSection('Validate', plan.steps.validate, h.target, 'None.', flagged));
  lines.push(...stepsSection('Rollback', plan.steps.rollback, h.target, plan.generations.current ? 'None needed.' : 'No previous generation exists on the host.', flagged));
  const patches = plan.changes.flatMap((c) => (c.kind === 'source' && typeof c.detail?.['patch'] === 'string' ? [c.detail['patch'] as string] : []));
  if (patches.length) lines.push('## Source diff', '', '```diff', ...patches.map((p) => p.trimEnd()), '```', '');
  lines.push(
    `Execute exactly this plan later with the JSON sidecar (\`clawdeploy apply --runbook\`); it is refused if it was edited (even with its hash recomputed) or the host or flake moved since. \`clawdeploy runbook verify\` checks it first and names each difference.`,
    '',
  );
  return lines.join('\n');
}
