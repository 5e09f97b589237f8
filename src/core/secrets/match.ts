// Runs the rule table over a piece of text and returns non-overlapping secret spans.
//
// Speed: rules with the same flags are joined into one alternation, so a 64 KB block is
// scanned once per flag group instead of once per rule (each pass over a block costs about
// as much as the whole regex work). Keyword prefilters pay off only on short texts (lines,
// source files), where they also shrink the alternation; big blocks skip them.
//
// All rules see the original text (no replace-then-rescan), so a placeholder is never
// re-matched, and overlapping hits (a GitHub token inside a URL password) merge into one.
import { TOKEN_RULES, type TokenRule } from './rules.js';
import { isAllowlisted } from './allowlist.js';

export interface SecretSpan {
  ruleId: string;
  start: number;
  end: number;
}

interface Member {
  rule: TokenRule;
  /** Index of the group wrapping this rule's alternative. */
  wrap: number;
  /** Number of groups inside the rule's own regex. */
  groups: number;
}
interface Pass {
  re: RegExp;
  members: Member[];
}

const ORDER = new Map(TOKEN_RULES.map((r, i) => [r.id, i]));
/** Texts up to this size are prefiltered by keywords. */
const PREFILTER_MAX = 8192;

function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`).exec('')!.length - 1;
}

function compile(rules: readonly TokenRule[]): Pass[] {
  const byFlags = new Map<string, TokenRule[]>();
  for (const r of rules) {
    const flags = r.regex.flags.includes('g') ? r.regex.flags : `${r.regex.flags}g`;
    byFlags.set(flags, [...(byFlags.get(flags) ?? []), r]);
  }
  return [...byFlags].map(([flags, rs]) => {
    let g = 1;
    const members = rs.map((rule) => {
      const m = { rule, wrap: g, groups: groupCount(rule.regex) };
      g += 1 + m.groups;
      return m;
    });
    return { re: new RegExp(rs.map((r) => `(${r.regex.source})`).join('|'), flags), members };
  });
}

const cache = new Map<string, Pass[]>();
function passesFor(rules: readonly TokenRule[]): Pass[] {
  const key = rules.map((r) => r.id).join(',');
  let p = cache.get(key);
  if (!p) {
    if (cache.size > 256) cache.clear();
    cache.set(key, (p = compile(rules)));
  }
  return p;
}

/**
 * Secret spans in `text`, sorted and merged. An empty PEM body (the BEGIN line of a
 * multi-line key) is kept when `keepEmpty` is set, for the scanner; the redactor
 * handles the body lines itself.
 */
export function findSecrets(text: string, keepEmpty = false, rules: readonly TokenRule[] = TOKEN_RULES): SecretSpan[] {
  const active =
    text.length <= PREFILTER_MAX ? rules.filter((r) => r.keywords.length === 0 || r.keywords.some((k) => text.includes(k))) : rules;
  const spans: SecretSpan[] = [];
  for (const pass of passesFor(active)) scan(text, pass, keepEmpty, spans);
  return merge(spans);
}

function scan(text: string, pass: Pass, keepEmpty: boolean, spans: SecretSpan[]): void {
  const re = pass.re;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const mb = pass.members.find((x) => m![x.wrap] !== undefined);
    if (!mb) continue;
    // The rule's own view of the match, as if it had run alone.
    const local = Object.assign(m.slice(mb.wrap, mb.wrap + mb.groups + 1), { index: m.index, input: text }) as RegExpExecArray;
    const span = candidate(text, mb.rule, local, keepEmpty);
    if (span) spans.push(span);
    // A rejected candidate must not hide a match that starts inside it.
    else re.lastIndex = m.index + 1;
  }
}

function candidate(text: string, rule: TokenRule, m: RegExpExecArray, keepEmpty: boolean): SecretSpan | null {
  let secret = m[rule.group];
  if (secret === undefined) return null;
  // Every rule ends its match with the secret group (lookaheads are not in m[0]), so
  // lastIndexOf finds it without the slower `d` (indices) flag.
  let start = m.index + m[0].lastIndexOf(secret);
  const end = start + secret.length;
  if (rule.extendLeft) {
    const left = rule.extendLeft.exec(text.slice(Math.max(0, start - 16), start));
    if (left) {
      start -= left[0].length;
      secret = text.slice(start, end);
    }
  }
  if (secret.length === 0) return keepEmpty ? { ruleId: rule.id, start, end } : null;
  if (rule.accept && !rule.accept(secret, m, text)) return null;
  if (isAllowlisted(text, start, end, rule.kind)) return null;
  return { ruleId: rule.id, start, end };
}

/** Sort by start and merge overlaps; the rule earlier in the table names a merged span. */
function merge(spans: SecretSpan[]): SecretSpan[] {
  if (spans.length < 2) return spans;
  spans.sort((a, b) => a.start - b.start || (ORDER.get(a.ruleId) ?? 0) - (ORDER.get(b.ruleId) ?? 0));
  const out: SecretSpan[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && (s.start < last.end || (s.start === s.end && s.start === last.end))) {
      if (s.end > last.end) last.end = s.end;
      if ((ORDER.get(s.ruleId) ?? 99) < (ORDER.get(last.ruleId) ?? 99)) last.ruleId = s.ruleId;
    } else {
      out.push({ ...s });
    }
  }
  return out;
}
