// Text from hosts, logs and configs goes to the model only inside <untrusted-data> blocks:
// redacted, bounded, and escaped so nothing inside can close the block or open another tag.
// findInjections flags instruction-like text so the session can warn the user (gemini-cli
// #23114, shell_gpt #793: injected text in the tool's own inputs).
import type { UntrustedData } from './types.js';
import { maskOpaque } from './promptMask.js';

export type Redact = (text: string) => string;

export interface UntrustedLimits {
  /** Characters kept per line (long lines are cut in the middle). */
  maxLineChars?: number;
  /** Characters kept per block: its first quarter and its last lines (a log's tail matters most). */
  maxBlockChars?: number;
  /** Characters over all blocks; later blocks are left out and counted. */
  maxTotalChars?: number;
}

const DEFAULTS: Required<UntrustedLimits> = { maxLineChars: 400, maxBlockChars: 4000, maxTotalChars: 12_000 };

// ANSI escapes, C0/C1 controls (not tab and newline), and invisible or direction-changing characters
// that could hide text from the person who reads the prompt.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** XML text escaping: with no raw `<`, nothing inside can close the block or look like a tag. */
export function escapeData(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(text: string): string {
  return escapeData(text.replace(CONTROL, '').replace(/\s+/g, ' ').slice(0, 160)).replace(/"/g, '&quot;');
}

/** Trusted text that merely mentions the tag (a finding quoting a config key) cannot open or close a block. */
export function neutralizeTags(text: string): string {
  return text.replace(/<(\s*\/?\s*untrusted-data)/gi, '&lt;$1');
}

function cutLine(line: string, max: number): string {
  if (line.length <= max) return line;
  const half = Math.floor((max - 20) / 2);
  return `${line.slice(0, half)} […${line.length - 2 * half} chars…] ${line.slice(-half)}`;
}

/** Keeps whole lines: the first quarter of the budget from the top, the rest from the bottom. */
function bound(lines: string[], max: number): string[] {
  const size = (ls: string[]) => ls.reduce((n, l) => n + l.length + 1, 0);
  if (size(lines) <= max) return lines;
  const head: string[] = [];
  let used = 0;
  for (const l of lines) {
    if (used + l.length + 1 > max / 4) break;
    head.push(l);
    used += l.length + 1;
  }
  const tail: string[] = [];
  for (let i = lines.length - 1; i >= head.length; i--) {
    const l = lines[i]!;
    if (used + l.length + 1 > max) break;
    tail.unshift(l);
    used += l.length + 1;
  }
  return [...head, `[… ${lines.length - head.length - tail.length} lines left out …]`, ...tail];
}

/** Redacted, bounded, escaped text of one source. */
export function untrustedBody(text: string, redact: Redact, limits: UntrustedLimits = {}): string {
  const l = { ...DEFAULTS, ...limits };
  // Redact the whole text first, so cutting can never split a secret past the redactor.
  const clean = maskOpaque(redact(text)).replace(ANSI, '').replace(CONTROL, '');
  const lines = clean
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .split('\n')
    .map((x) => cutLine(x, l.maxLineChars));
  return escapeData(bound(lines, l.maxBlockChars).join('\n'));
}

/** `<untrusted-data source="…">…</untrusted-data>` blocks, one per source, within the total budget. */
export function wrapUntrusted(data: readonly UntrustedData[], redact: Redact, limits: UntrustedLimits = {}): string {
  const total = limits.maxTotalChars ?? DEFAULTS.maxTotalChars;
  const blocks: string[] = [];
  let used = 0;
  let left = 0;
  for (const d of data) {
    const block = `<untrusted-data source="${escapeAttr(maskOpaque(redact(d.source)))}">\n${untrustedBody(d.text, redact, limits)}\n</untrusted-data>`;
    if (used + block.length > total) {
      left++;
      continue;
    }
    blocks.push(block);
    used += block.length;
  }
  if (left) blocks.push(`[${left} more untrusted block${left === 1 ? '' : 's'} left out: size limit]`);
  return blocks.join('\n');
}

const INJECTIONS: ReadonlyArray<[kind: string, re: RegExp]> = [
  [
    'ignore-instructions',
    /\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|my|these|those)\s+)*(?:previous|prior|above|earlier|preceding|system|original|safety)\s+(?:instructions?|prompts?|rules?|messages?|directions?|guidelines?|context)\b/i,
  ],
  [
    'role-change',
    /\byou\s+are\s+now\b|\bfrom\s+now\s+on,?\s+you\b|\bact\s+as\s+(?:an?\s+|the\s+)?(?:admin|root|system|developer|operator)\b|\bnew\s+(?:system\s+)?instructions?\s*:|\b(?:system|developer)\s+prompt\s*:|\bdeveloper\s+mode\b/i,
  ],
  [
    'run-command',
    /\b(?:run|execute|exec|invoke)\s+(?:(?:this|the\s+following|these|the)\s+)?(?:(?:command|script|shell)s?\s*)?[:`'"]?\s*(?:sudo\s+)?(?:rm|curl|wget|sh|bash|zsh|nix-env|nix\b(?!\s+log\b)|nixos-rebuild|home-manager|systemctl|launchctl|chmod|chown|dd|mkfs|ssh|scp|nc|ncat|python3?|node|perl|eval|kill|pkill|shutdown|reboot|openclaw|clawdeploy)\b/i,
  ],
  [
    'destructive-command',
    /\brm\s+-(?:[a-z]*r[a-z]*f|[a-z]*f[a-z]*r)[a-z]*\s+(?:--no-preserve-root\s+)?(?:\/(?=[\s*'"`]|$)|~|\$HOME|\*)|\bcurl\s[^|\n]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b|\bmkfs(?:\.\w+)?\s|\bdd\s+if=/i,
  ],
  [
    'tool-call',
    /["']?\b(?:tool_calls?|function_call|tool_use|tool_name)\b["']?\s*:|\{\s*"(?:name|action|tool|function)"\s*:\s*"[\w.-]+"\s*,\s*"(?:arguments|args|input|parameters)"\s*:|<\/?(?:tool_call|function_calls?|invoke|tool_use)\b|\bpropose_plan\b/i,
  ],
  // Imperative only: an honest explanation may well say that reads run "without asking".
  [
    'skip-confirmation',
    /\b(?:do\s+not|don'?t|never)\s+(?:ask|prompt|wait)\s+(?:(?:the|any)\s+(?:user|operator|human|person)\s+)?for\s+(?:any\s+)?(?:confirmation|approval|permission)\b|\bskip\s+(?:the\s+|any\s+)?(?:confirmation|approval)s?\b/i,
  ],
  ['chat-markup', /<\|im_(?:start|end)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:system|assistant|user|untrusted-data)\b|^\s*(?:system|assistant)\s*:/im],
];

/**
 * Instruction-like text in data (and in the model's own text, modelText.ts): "ignore previous
 * instructions", "you are now …", "run rm …", "do not ask for confirmation", tool-call-looking
 * JSON, chat markup. Each hit is `kind: excerpt` (one line, at most 120
 * characters) for a warning to the user; pass redacted text, as the excerpt is shown.
 * Escaped text (&lt;…) is read as the model would read it.
 */
export function findInjections(text: string): string[] {
  const plain = text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(CONTROL, '');
  const hits: string[] = [];
  for (const [kind, re] of INJECTIONS) {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    for (const m of plain.matchAll(g)) {
      const start = plain.lastIndexOf('\n', m.index) + 1;
      const endAt = plain.indexOf('\n', m.index + m[0].length);
      const line = plain.slice(start, endAt < 0 ? undefined : endAt).trim();
      const excerpt = line.length <= 120 ? line : `…${line.slice(Math.max(0, m.index - start - 40), m.index - start + 80).trim()}…`;
      const hit = `${kind}: ${excerpt}`;
      if (!hits.includes(hit)) hits.push(hit);
      if (hits.length >= 20) return hits;
    }
  }
  return hits;
}
