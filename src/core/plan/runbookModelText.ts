// The model's words in a runbook: its explanation after the facts, and a warning block no
// reviewer can miss when any of its text (the explanation, a proposed step's reason) reads like
// instructions. Flagged text is fenced: it shows as text, never as the runbook's own Markdown.
import { MODEL_TEXT_WARNING, type ModelTextFlag } from '../assistant/modelText.js';

export interface Explanation {
  /** Who wrote it: "anthropic claude-…", "offline, templated". */
  label: string;
  text: string;
}

const longestRun = (text: string, ch: string) => Math.max(0, ...[...text.matchAll(new RegExp(`${ch}+`, 'g'))].map((m) => m[0].length));

/** A code span that backticks inside the text cannot close. */
function codeSpan(text: string): string {
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  return `${fence} ${text} ${fence}`;
}

/** A proposed step's flagged reason, inline: as text, marked. */
export function flaggedReason(reason: string): string {
  return `${codeSpan(reason.replaceAll('\n', ' '))} **(flagged: see the warning above)**`;
}

/** The top-of-runbook warning, one bullet per finding; nothing when there is none. */
export function warningBlock(flags: readonly ModelTextFlag[]): string[] {
  if (!flags.length) return [];
  return ['> [!WARNING]', `> **Instruction-like text from the model.** ${MODEL_TEXT_WARNING}`, '>', ...flags.map((f) => `> - ${f.where}: ${codeSpan(f.finding)}`), ''];
}

/** `## Explanation (label)`; a flagged explanation is fenced below a pointer to the warning. */
export function explanationSection(ex: Explanation, flags: readonly ModelTextFlag[]): string[] {
  const text = ex.text.trim();
  if (!flags.some((f) => f.where === 'explanation')) return [`## Explanation (${ex.label})`, '', text, ''];
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return [`## Explanation (${ex.label})`, '', '**Flagged (see the warning above): shown as text, not advice.**', '', `${fence}text`, text, fence, ''];
}
