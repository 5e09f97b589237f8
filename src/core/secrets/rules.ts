// The one table of token rules shared by the redactor (logs, screen, model) and the
// source/closure scanner. A rule never matches across a line break: streams are cut at
// line boundaries, so a rule that spans lines would miss secrets split across chunks.
// Multi-line PEM bodies are handled by a small state machine in the redactor instead.
//
// Speed: rules with the same flags run as one alternation (match.ts). Each alternative
// starts with a literal or a rare character so V8 can skip ahead: `k-(?<=sk-)` starts on
// "k", not on the common "s", and `extendLeft` adds the "s" back to the secret. Finer
// checks on the name before a value run in `accept`, on the few candidates only.

/** `shape`: the value alone says "secret". `keyed`: a secret-bearing name precedes it. */
export type RuleKind = 'shape' | 'keyed';

export interface TokenRule {
  id: string;
  kind: RuleKind;
  /**
   * Case-sensitive substrings; the rule runs only on text that contains one ([] = always).
   * Checked on short texts (lines, source files); big stream blocks skip the check, since the
   * joined regex is anchored on the same literals and scanning for each keyword costs more.
   */
  keywords: readonly string[];
  /** Global regex. Must not match `\n`, nor use backreferences (rules are joined into one alternation). */
  regex: RegExp;
  /** Capture group holding the secret (0 = the whole match); it ends the match. */
  group: number;
  /** Extra check on a candidate; `m` and `text` allow look-behind checks (e.g. the full name). */
  accept?: (secret: string, m: RegExpExecArray, text: string) => boolean;
  /** Text that belongs to the secret but sits before the match (kept out of it for speed). */
  extendLeft?: RegExp;
  /**
   * Speed only: a case-insensitive rule whose regex is `<name>["']?\s*<operator>…`, with an
   * operator starting with ":" or "=", gives the source of its name part here. On big texts
   * match.ts then finds such rules through their operators, within the one scan for the other
   * rules, instead of a second scan for the names (see there).
   */
  assignedName?: string;
}

const B64URL = 'A-Za-z0-9_-';

/** Random-looking: letters and digits mixed (rules out words joined by dashes). */
function mixed(s: string): boolean {
  return /[0-9]/.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s);
}

/** Nothing word-like right before `i` (an ANSI color code counts as a boundary: build logs are colored). */
function boundaryBefore(text: string, i: number, word = /[A-Za-z0-9]/): boolean {
  return i === 0 || !word.test(text[i - 1]!) || /\x1b\[[0-9;]*m$/.test(text.slice(Math.max(0, i - 12), i));
}

/** lower, UPPER and Capitalized forms of keywords, for the case-sensitive prefilter. */
function cases(...words: string[]): string[] {
  return words.flatMap((w) => [w, w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)]);
}

const NAME_CHAR = /[A-Za-z0-9_.-]/;

/** The whole variable name that ends at `end` (FOO_API_KEY, gateway.auth.token, apiKey). */
export function nameBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && NAME_CHAR.test(text[i - 1]!)) i--;
  return text.slice(i, end);
}

// `key` alone is too common ("key=value"), so it needs a qualifier: FOO_KEY, apiKey, secretkey.
const SECRET_NAME_END = /(?:token|secret|passw(?:or)?d|passphrase|pwd|(?:^|[^a-z])pass|(?:api|access|private|secret|auth|signing|master|encryption|client|license)[_-]?key|[_.]key)$/;
// Name parts that make a secret-sounding name not secret: public keys, counters, limits.
// Whole parts only: "min" must not exclude ADMIN_PASSWORD, nor "count" ACCOUNT_KEY.
const NOT_SECRET_PART = new Set(['public', 'pub', 'count', 'max', 'min', 'limit', 'size', 'length', 'len', 'type', 'kind', 'timeout', 'ttl', 'usage', 'used', 'expiry', 'expires', 'expiration']);

function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
}

/** A secret-bearing name ending at `end`; not the user part of a URL (url-password's job). */
export function secretNameAt(text: string, end: number): boolean {
  const name = nameBefore(text, end);
  const start = end - name.length;
  if (name.length === 0 || text.slice(start - 3, start) === '://') return false;
  if (nameParts(name).some((p) => NOT_SECRET_PART.has(p))) return false;
  return SECRET_NAME_END.test(name.toLowerCase()) || /[a-z]Key$/.test(name);
}

/** An unquoted identifier in source code (`TOKEN: match,`, `token = getToken()`), not data. */
function isCode(value: string, m: RegExpExecArray, text: string): boolean {
  const end = m.index + m[0].length;
  const before = text[end - value.length - 1];
  if (before === '"' || before === "'") return false;
  const after = text[end] ?? '';
  return after === '(' || (/^[A-Za-z_]+$/.test(value) && /[,;)]/.test(after));
}

// Values that point at a secret or stand for one. Whole shapes, not first characters: a
// password may start with any character ("%x9…", "*Tr0ub…", "~a…" are passwords).
const REFERENCE = new RegExp(
  [
    String.raw`^(?:~[\w.-]*)?\/[\w.@+:=,%-]*(?:\/[\w.@+:=,%-]*)*$`, // /run/agenix/x, ~/x, ~user/x
    String.raw`^\.{1,2}\/`,
    String.raw`^\$\w*\{`, // ${VAR}, ${{ secrets.X }}, $__file{…}
    String.raw`^\$\(`, // $(command)
    String.raw`^\$(?:[A-Z_][A-Z0-9_]*|[a-z_]+)(?:\/|$)`, // $VAR, $var, $VAR/file (not $ecret123)
    String.raw`^%[A-Za-z_]\w*%$`, // %VAR%
    String.raw`^%\{[^}]*\}`, // %{macro}
    String.raw`^%[A-Za-z%](?:\/|$)`, // systemd specifier: %d/token
    String.raw`^<[^<>]*>$`, // <your-token>
    String.raw`^\{\{.*\}\}$|^\{[\w.:-]*\}$`, // {{ template }}, {VAR}
    String.raw`^\[REDACTED|^@[A-Za-z_]+@|^-----`,
    // A source location (a clawdeploy finding: "secret-token: flake.nix:8: …"), not a value.
    String.raw`^(?:[\w.@+-]+\/)*[\w@+-][\w.@+-]*\.[A-Za-z][A-Za-z0-9]{0,9}:\d{1,7}(?::\d{1,7})?:?$`,
  ].join('|'),
);

/** Values under a secret name that are references or placeholders, not secrets. */
export function isReferenceValue(v: string): boolean {
  return (
    REFERENCE.test(v) ||
    /^(?:null|nil|none|true|false|undefined|config\.|pkgs\.|lib\.|builtins\.|cfg\.)/i.test(v) ||
    // Code, not data: `token = channel.botToken`, `apiKey: string`.
    /^[a-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+$/.test(v) ||
    /^[\^~]?\d+(?:\.\d+)+/.test(v) || // a version: "path-key": "^3.1.0"
    /^(?:string|number|boolean|object|unknown|any|str|int|bool|bytes|SecretStr|Optional)$/.test(v) ||
    /^\d{1,15}$/.test(v) ||
    /^(.)\1*$/.test(v)
  );
}

// A quoted value runs to its closing quote (a passphrase may hold spaces); an unquoted one
// stops at spaces, separators and ANSI escapes (colored logs keep their colors).
const ASSIGN_VALUE = String.raw`["']?\s*(?::=|=>|[:=])\s*(?:\\?["'])?((?<=["'])[^"'\n\\\x1b]{6,200}(?=\\?["'])|[^\s"'\\,;&<>\x60(){}\[\]\x1b]{6,})`;

const AWS_SECRET_NAME = '(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key)';
const SECRET_NAME = 'token|secret|pass(?:w(?:or)?d|phrase)?|pwd|key';

export const TOKEN_RULES: readonly TokenRule[] = [
  {
    id: 'pem-private-key',
    kind: 'shape',
    keywords: ['PRIVATE KEY'],
    // Body up to END on one line (JSON strings with \n escapes), or up to end of line
    // (the multi-line form; the body lines that follow are the redactor's job).
    regex: /BEGIN(?<=-----BEGIN)[A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----((?:\\[rn]|[A-Za-z0-9+/=:,. \t-])*?)(?=-----END|\\*["']|\r?\n|$)/g,
    group: 1,
  },
  {
    id: 'age-secret-key',
    kind: 'shape',
    keywords: ['AGE-SECRET-KEY-1'],
    regex: /AGE-SECRET-KEY-1[0-9A-Z]{20,}/g,
    group: 0,
  },
  {
    id: 'anthropic-api-key',
    kind: 'shape',
    keywords: ['sk-ant-'],
    regex: new RegExp(String.raw`k-(?<=sk-)ant-[${B64URL}]{10,}`, 'g'),
    group: 0,
    extendLeft: /s$/,
  },
  {
    id: 'openai-api-key',
    kind: 'shape',
    keywords: ['sk-'],
    regex: new RegExp(String.raw`k-(?<=sk-)(?!ant-)(?:proj-|svcacct-|admin-)?[${B64URL}]{20,}`, 'g'),
    group: 0,
    extendLeft: /s$/,
    accept: (s, m, text) => boundaryBefore(text, m.index - 1) && mixed(s.slice(3)),
  },
  {
    id: 'github-token',
    kind: 'shape',
    keywords: ['gh', 'github_pat_'],
    regex: /_(?<=gh[pousr]_|github_)(?:[A-Za-z0-9]{30,255}|pat_[A-Za-z0-9_]{30,255})(?![A-Za-z0-9_])/g,
    group: 0,
    extendLeft: /(?:gh[pousr]|github)$/,
    accept: (s) => !s.startsWith('github_') || s.startsWith('github_pat_'),
  },
  {
    id: 'slack-token',
    kind: 'shape',
    keywords: ['xox', 'xapp-'],
    regex: /(?:xox[abposr]|xapp)-(?:[0-9]+-)?[A-Za-z0-9-]{10,}/g,
    group: 0,
  },
  {
    id: 'aws-access-key-id',
    kind: 'shape',
    keywords: ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'A3T'],
    regex: /(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    group: 0,
    accept: (_s, m, text) => boundaryBefore(text, m.index),
  },
  {
    id: 'aws-secret-access-key',
    kind: 'keyed',
    keywords: cases('secret'),
    regex: new RegExp(AWS_SECRET_NAME + String.raw`["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`, 'gi'),
    group: 1,
    assignedName: AWS_SECRET_NAME,
  },
  {
    id: 'jwt',
    kind: 'shape',
    keywords: ['eyJ'],
    regex: /J(?<=eyJ)[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,}/g,
    group: 0,
    extendLeft: /ey$/,
  },
  {
    id: 'telegram-bot-token',
    kind: 'shape',
    keywords: [],
    // Anchored on the colon (rarer than digits); the 8-10 digit bot id is added by extendLeft.
    regex: /:(?<=(?<![0-9])[0-9]{8,10}:)[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    group: 0,
    extendLeft: /[0-9]{8,10}$/,
    accept: (s) => /[A-Za-z]/.test(s),
  },
  {
    id: 'discord-bot-token',
    kind: 'shape',
    keywords: [],
    regex: /[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40}(?![A-Za-z0-9_.-])/g,
    group: 0,
    // The structure is strong already; base64 of an id ("MTAwMDAw…") may hold no digit.
    accept: (s, m, text) => boundaryBefore(text, m.index, /[A-Za-z0-9_.-]/) && /[a-z]/.test(s) && /[A-Z]/.test(s),
  },
  {
    id: 'url-password',
    kind: 'keyed',
    keywords: ['://'],
    regex: /:\/\/[^\s:/@"'<>]{0,100}:([^\s/@"'<>\x1b]{3,200})(?=@[^\s@])/g,
    group: 1,
    accept: (s) => !isReferenceValue(s),
  },
  {
    id: 'bearer-token',
    kind: 'keyed',
    keywords: ['earer'],
    regex: /[Bb]earer\s+([A-Za-z0-9._~+/-]{16,}=*)/g,
    group: 1,
  },
  {
    id: 'cli-secret-flag',
    kind: 'keyed',
    keywords: ['--'],
    regex: /--(?:gateway-)?(?:token|password|api-key|secret|auth-token)(?:=|\s+)["']?([^\s"'\x1b-][^\s"'\x1b]{7,})/g,
    group: 1,
    accept: (s, m, text) => boundaryBefore(text, m.index, /[\w-]/) && !isReferenceValue(s),
  },
  {
    id: 'openclaw-gateway-token',
    kind: 'keyed',
    keywords: cases('token'),
    // Long hex/base64 after token / auth.token / OPENCLAW_GATEWAY_TOKEN / ?token=.
    regex: /token["']?\s*(?::=|[:=])\s*(?:\\?["'])?([A-Fa-f0-9]{32,}|[A-Za-z0-9+/_-]{32,}={0,2})(?![A-Za-z0-9+/_=-])/gi,
    group: 1,
    assignedName: 'token',
    accept: (s, m, text) => secretNameAt(text, m.index + 5) && !isReferenceValue(s),
  },
  {
    id: 'secret-assignment',
    kind: 'keyed',
    keywords: cases('token', 'secret', 'pass', 'pwd', 'key'),
    // A short keyword alternation is fast; which names really count is decided in accept.
    regex: new RegExp(`(${SECRET_NAME})` + ASSIGN_VALUE, 'gi'),
    group: 2,
    assignedName: SECRET_NAME,
    accept: (s, m, text) => secretNameAt(text, m.index + m[1]!.length) && !isReferenceValue(s) && !isCode(s, m, text),
  },
];

/** The placeholder that replaces a secret. */
export function placeholder(ruleId: string): string {
  return `[REDACTED:${ruleId}]`;
}

export const PLACEHOLDER_RE = /\[REDACTED:[A-Za-z0-9_.:-]+\]/g;
