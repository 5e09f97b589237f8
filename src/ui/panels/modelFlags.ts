// Flagged model text on screen: the instruction detection host data gets, applied to the model's
// own words where they are shown (explanation, advice, answer), so instruction-like text is never
// passed on silently. Recomputed from the text as it streams in; short, so findings stay in view.
import { flagModelText } from '../../core/assistant/modelText.js';
import { line, seg, type Line } from '../lines.js';

const TAG = seg(' FLAGGED ', 'bad', true);
const SAYS = " the model's text reads like instructions: nothing it says runs";

/** Each flagged line once, with the kinds found in it. */
function grouped(text: string): Array<{ kinds: string[]; excerpt: string }> {
  const out: Array<{ kinds: string[]; excerpt: string }> = [];
  for (const f of flagModelText('', text)) {
    const at = f.finding.indexOf(': ');
    const kind = f.finding.slice(0, at);
    const excerpt = f.finding.slice(at + 2);
    const same = out.find((g) => g.excerpt === excerpt);
    if (same) same.kinds.push(kind);
    else out.push({ kinds: [kind], excerpt });
  }
  return out;
}

/** Above the text in a panel: the warning, then up to `max` flagged lines (each cut to one row). */
export function flagLines(text: string, max = 3): Line[] {
  const groups = grouped(text);
  if (!groups.length) return [];
  const rows = groups.slice(0, max).map((g) => line(`          ${g.kinds.join(', ')}: ${g.excerpt}`, 'warn'));
  const more = groups.length > max ? [line(`          … ${groups.length - max} more`, 'warn')] : [];
  return [[TAG, seg(SAYS, 'bad')], ...rows, ...more, []];
}

/** One line for a small area (the answer): that it is not an instruction, and the kinds found. */
export function flagBanner(text: string): Line[] {
  const kinds = [...new Set(grouped(text).flatMap((g) => g.kinds))];
  return kinds.length ? [[TAG, seg(` not an instruction; nothing it says runs (${kinds.join(', ')})`, 'bad')]] : [];
}
