// Runs the rule table over a piece of text and returns non-overlapping secret spans.
//
// Speed: rules with the same flags are joined into one alternation, so a 64 KB block is
// scanned once per flag group instead of once per rule (each pass over a block costs about
// as much as the whole regex work). Keyword prefilters pay off only on short texts (lines,
// source files), where they also shrink the alternation; big blocks skip them.
//
// All rules see the original text (no replace-then-rescan), so a placeholder is never
// re-matched, and overlapping hits (a GitHub token inside a URL password) merge into one.
//
// Big texts (stream blocks) take one scan, not one per flag group: the case-insensitive
// group (`NAME = value` rules) costs as much as all the others, since its names start with
// common letters. Those rules declare their name part (`assignedName`), and the main scan
// also stops at their operators (`:` or `=` behind such a name, a lookbehind: rare hits).
// From each operator the name's start is found, and the case-insensitive alternation runs
// there only (sticky). That gives exactly the matches its own scan would: it would only
// match at those starts, and is run at them in order with the same skip rules.
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
  const spans: SecretSpan[] = [];
  const one = text.length > PREFILTER_MAX && rules === TOKEN_RULES ? oneScan() : null;
  if (one) scanOnce(text, one, keepEmpty, spans);
  else findByPasses(text, keepEmpty, rules, spans);
  return merge(spans);
}

/** One scan per flag group (the plain way; small texts, other rule sets, and tests). */
function findByPasses(text: string, keepEmpty: boolean, rules: readonly TokenRule[], spans: SecretSpan[] = []): SecretSpan[] {
  const active = text.length <= PREFILTER_MAX ? rules.filter((r) => r.keywords.length === 0 || r.keywords.some((k) => text.includes(k))) : rules;
  for (const pass of passesFor(active)) scan(text, pass, keepEmpty, spans);
  return spans;
}

function scan(text: string, pass: Pass, keepEmpty: boolean, spans: SecretSpan[]): void {
  const re = pass.re;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const span = matched(text, pass, m, keepEmpty);
    if (span) spans.push(span);
    // A rejected candidate must not hide a match that starts inside it.
    else re.lastIndex = m.index + 1;
  }
}

/** The span for a match of a pass's alternation, or null if its rule rejects it. */
function matched(text: string, pass: Pass, m: RegExpExecArray, keepEmpty: boolean): SecretSpan | null {
  const mb = pass.members.find((x) => m[x.wrap] !== undefined);
  if (!mb) return null;
  // The rule's own view of the match, as if it had run alone.
  const local = Object.assign(m.slice(mb.wrap, mb.wrap + mb.groups + 1), { index: m.index, input: text }) as RegExpExecArray;
  return candidate(text, mb.rule, local, keepEmpty);
}

interface OneScan {
  /** The case-sensitive rules, then (last) the operator anchor, as one alternation. */
  main: Pass;
  anchorGroup: number;
  /** The operator anchor alone, sticky. */
  anchorAt: RegExp;
  /** The case-insensitive rules' alternation, sticky. */
  assigned: Pass;
  /** Per assignment rule: its name, at the end of a short text (leftmost start first). */
  names: RegExp[];
}

let one: OneScan | null | undefined;

/** Whether big texts get the one scan (the rule table fits its assumptions); for tests. */
export function usesOneScan(): boolean {
  return oneScan() !== null;
}

/** The one-scan setup for TOKEN_RULES, or null if the table does not fit its assumptions. */
function oneScan(): OneScan | null {
  if (one !== undefined) return one;
  one = null;
  const plain = TOKEN_RULES.filter((r) => !r.regex.flags.includes('i'));
  const assigned = TOKEN_RULES.filter((r) => r.regex.flags.includes('i'));
  if (assigned.length === 0 || plain.some((r) => r.regex.flags !== 'g') || assigned.some((r) => r.regex.flags !== 'gi' || !fitsAssignment(r))) return one;
  const names = uncased(assigned.map((r) => `(?:${r.assignedName!})`).join('|'));
  if (names === null) return one;
  const anchor = String.raw`[:=](?<=(?:${names})["']?\s*[:=])`;
  const [main] = compile(plain);
  const anchorGroup = 1 + main!.members.reduce((n, mb) => n + 1 + mb.groups, 0);
  const [ci] = compile(assigned);
  one = {
    main: { re: new RegExp(`${main!.re.source}|(${anchor})`, 'g'), members: main!.members },
    anchorGroup,
    anchorAt: new RegExp(anchor, 'y'),
    assigned: { re: new RegExp(ci!.re.source, 'giy'), members: ci!.members },
    names: assigned.map((r) => new RegExp(`(?:${r.assignedName!})$`, 'i')),
  };
  return one;
}

/** Whether a rule's regex starts with its declared name, optional quote, spaces and a `:`/`=` operator. */
function fitsAssignment(r: TokenRule): boolean {
  const name = r.assignedName;
  if (!name) return false;
  const lead = String.raw`["']?\s*`;
  const ops = ['[:=]', '(?::=|[:=])', '(?::=|=>|[:=])'];
  return [name, `(${name})`, `(?:${name})`].some((n) => ops.some((op) => r.regex.source.startsWith(n + lead + op)));
}

/**
 * A regex source whose letters match either case, for an alternation without the i flag; null
 * for what this does not handle (classes, escapes other than \s-style ones, named groups).
 */
function uncased(src: string): string | null {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '[' || (c === '(' && src.startsWith('(?<', i) && !src.startsWith('(?<=', i) && !src.startsWith('(?<!', i))) return null;
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      if (!/[sSdDwWbB.\\/()|?*+{}^$-]/.test(e)) return null;
      out += c + e;
      i++;
    } else if (/[a-zA-Z]/.test(c) && !(src[i - 1] === '?' && src[i - 2] === '(')) {
      out += `[${c.toLowerCase()}${c.toUpperCase()}]`;
    } else {
      out += c;
    }
  }
  return out;
}

const SPACE = /\s/;

function scanOnce(text: string, o: OneScan, keepEmpty: boolean, spans: SecretSpan[]): void {
  const re = o.main.re;
  const ops: number[] = [];
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[o.anchorGroup] !== undefined) {
      ops.push(m.index);
      continue;
    }
    const span = matched(text, o.main, m, keepEmpty);
    // A rule's match hides the operators it covers from the scan (an accepted one all of
    // them, a rejected one its first char): look at those directly.
    if (span) {
      spans.push(span);
      anchorsIn(text, o, m.index, re.lastIndex, ops);
    } else {
      re.lastIndex = m.index + 1;
      anchorsIn(text, o, m.index, m.index + 1, ops);
    }
  }
  if (ops.length > 0) assignments(text, o, ops, keepEmpty, spans);
}

function anchorsIn(text: string, o: OneScan, from: number, to: number, ops: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x3a && c !== 0x3d) continue;
    o.anchorAt.lastIndex = i;
    if (o.anchorAt.test(text)) ops.push(i);
  }
}

/** The case-insensitive rules' matches, from the operators found (see the top of the file). */
function assignments(text: string, o: OneScan, ops: number[], keepEmpty: boolean, spans: SecretSpan[]): void {
  const starts: number[] = [];
  for (const q of ops) {
    // name ["']? \s* operator: the spaces run back to the quote or the name.
    let e = q;
    while (e > 0 && SPACE.test(text[e - 1]!)) e--;
    if (e > 0 && (text[e - 1] === '"' || text[e - 1] === "'")) e--;
    const tail = text.slice(Math.max(0, e - 64), e);
    const base = e - tail.length;
    for (const name of o.names) {
      // Every start from which the name runs to the end of `tail`, leftmost first.
      for (let from = 0; from < tail.length;) {
        const n = name.exec(from === 0 ? tail : tail.slice(from));
        if (!n) break;
        starts.push(base + from + n.index);
        from += n.index + 1;
      }
    }
  }
  starts.sort((a, b) => a - b);
  const re = o.assigned.re;
  let next = 0;
  for (const p of starts) {
    if (p < next) continue;
    re.lastIndex = p;
    const m = re.exec(text);
    if (!m) continue;
    const span = matched(text, o.assigned, m, keepEmpty);
    if (span) {
      spans.push(span);
      next = m.index + m[0].length;
    } else {
      next = m.index + 1;
    }
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
