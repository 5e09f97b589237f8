// A small Nix tokenizer: enough to follow attribute paths through braces and to see
// string literals with their lines. It is not a parser; unknown syntax becomes `op`
// tokens that the walker skips.

export type TokKind = 'id' | 'str' | 'path' | 'num' | 'op' | 'interp';

export interface Tok {
  kind: TokKind;
  /** Identifier text, operator, path, or the literal text of a string (escapes resolved). */
  text: string;
  line: number;
  /** Strings only: whether `${…}` appears inside. */
  interpolated?: boolean;
}

const ID_START = /[A-Za-z_]/;
const ID_CHAR = /[A-Za-z0-9_'-]/;
const PATH_AT = /^(?:\.{0,2}\/|~\/)[A-Za-z0-9._+\-/]*[A-Za-z0-9._+-]|^<[A-Za-z0-9._+\-/]+>/;
const NUM_AT = /^[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
const OPS = ['...', '//', '++', '==', '!=', '<=', '>=', '&&', '||', '->', '${'];

export function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      line += count(src, i, stop);
      i = stop;
    } else if (c === '"') {
      const r = readString(src, i + 1, line);
      toks.push({ kind: 'str', text: r.text, line, interpolated: r.interpolated });
      line = r.line;
      i = r.end;
    } else if (c === "'" && src[i + 1] === "'") {
      const r = readIndented(src, i + 2, line);
      toks.push({ kind: 'str', text: r.text, line, interpolated: r.interpolated });
      line = r.line;
      i = r.end;
    } else if (c === '$' && src[i + 1] === '{') {
      // An interpolated attribute name (`${name} = …`): one opaque token.
      const end = skipBraces(src, i + 2);
      toks.push({ kind: 'interp', text: src.slice(i, end), line });
      line += count(src, i, end);
      i = end;
    } else if ((c === '.' || c === '/' || c === '~' || c === '<') && PATH_AT.test(src.slice(i, i + 256))) {
      const m = PATH_AT.exec(src.slice(i, i + 4096))!;
      toks.push({ kind: 'path', text: m[0], line });
      i += m[0].length;
    } else if (ID_START.test(c)) {
      let j = i + 1;
      while (j < n && ID_CHAR.test(src[j]!)) j++;
      // A URI literal (github:owner/repo) reads as one token.
      const uri = /^:[A-Za-z0-9%/?:@&=+$,_.!~*'-]+/.exec(src.slice(j, j + 512));
      if (uri && /^[a-z][a-z0-9+.-]*$/.test(src.slice(i, j)) && !/^:\s/.test(uri[0]) && src[j + 1] !== ' ' && /[/.]/.test(uri[0])) {
        toks.push({ kind: 'path', text: src.slice(i, j) + uri[0], line });
        i = j + uri[0].length;
      } else {
        toks.push({ kind: 'id', text: src.slice(i, j), line });
        i = j;
      }
    } else if (/[0-9]/.test(c)) {
      const m = NUM_AT.exec(src.slice(i, i + 64))!;
      toks.push({ kind: 'num', text: m[0], line });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i)) ?? c;
      toks.push({ kind: 'op', text: op, line });
      i += op.length;
    }
  }
  return toks;
}

function count(src: string, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) if (src.charCodeAt(i) === 10) k++;
  return k;
}

/** Index after the `}` that closes a `${` whose body starts at `i` (strings inside skipped). */
function skipBraces(src: string, i: number): number {
  let depth = 1;
  while (i < src.length && depth > 0) {
    const c = src[i]!;
    if (c === '"') i = readString(src, i + 1, 0).end;
    else if (c === "'" && src[i + 1] === "'") i = readIndented(src, i + 2, 0).end;
    else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
    else {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      i++;
    }
  }
  return i;
}

interface StrRead {
  text: string;
  end: number;
  line: number;
  interpolated: boolean;
}

function readString(src: string, i: number, line: number): StrRead {
  let text = '';
  let interpolated = false;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"') return { text, end: i + 1, line, interpolated };
    if (c === '\\') {
      const e = src[i + 1] ?? '';
      text += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      if (e === '\n') line++;
      i += 2;
    } else if (c === '$' && src[i + 1] === '{') {
      interpolated = true;
      const end = skipBraces(src, i + 2);
      line += count(src, i, end);
      text += src.slice(i, end);
      i = end;
    } else {
      if (c === '\n') line++;
      text += c;
      i++;
    }
  }
  return { text, end: i, line, interpolated };
}

function readIndented(src: string, i: number, line: number): StrRead {
  let text = '';
  let interpolated = false;
  while (i < src.length) {
    if (src.startsWith("'''", i)) {
      text += "''";
      i += 3;
    } else if (src.startsWith("''$", i) || src.startsWith("''\\", i)) {
      text += src[i + 2];
      i += 3;
    } else if (src.startsWith("''", i)) {
      return { text: dedent(text), end: i + 2, line, interpolated };
    } else if (src.startsWith('${', i)) {
      interpolated = true;
      const end = skipBraces(src, i + 2);
      line += count(src, i, end);
      text += src.slice(i, end);
      i = end;
    } else {
      if (src[i] === '\n') line++;
      text += src[i];
      i++;
    }
  }
  return { text, end: i, line, interpolated };
}

/** Nix's rule for '' strings: drop a blank first line and the common indentation. */
function dedent(text: string): string {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[0]!.trim() === '') lines.shift();
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(cut))).join('\n');
}
