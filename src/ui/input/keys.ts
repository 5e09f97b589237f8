// One ink input event as the keys it holds, in order. Ink splits escape sequences from text but
// hands over a run of text ("y\r", "prod-eu\r", "ab\u0005") as one event with key flags for its
// first character only: every character here is a key of its own, and control characters are
// named keys, never text.
export type Named = 'return' | 'escape' | 'tab' | 'backtab' | 'backspace' | 'delete' | 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end';

export type Key =
  /** A printable character (one code point). */
  | { kind: 'text'; ch: string }
  /** Ctrl and a letter, the letter in lower case ("c" for Ctrl-C). */
  | { kind: 'ctrl'; ch: string }
  | { kind: Named }
  /** A sequence this interface has no use for (F-keys, Alt-x, Insert): ignored, and never text. */
  | { kind: 'other' };

const ESC = '\u001b';

/** CSI final byte (after "ESC [" or "ESC O") to a key; "~" sequences by their first parameter. */
const FINAL: Record<string, Named> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', Z: 'backtab' };
const TILDE: Record<string, Named> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '3': 'delete', '5': 'pageup', '6': 'pagedown' };

/** CSI parameter (0x30-0x3f) and intermediate (0x20-0x2f) bytes. */
const inCsi = (code: number) => code >= 0x20 && code <= 0x3f;

function control(code: number): Key {
  if (code === 0x0d || code === 0x0a) return { kind: 'return' };
  if (code === 0x09) return { kind: 'tab' };
  if (code === 0x08 || code === 0x7f) return { kind: 'backspace' };
  if (code >= 0x01 && code <= 0x1a) return { kind: 'ctrl', ch: String.fromCharCode(code + 0x60) };
  return { kind: 'other' };
}

/** The escape sequence at `i` (which holds ESC): the key and where the next one starts. */
function escape(s: string, i: number): [Key, number] {
  let j = i + 1;
  // ESC ESC [A is Alt-Up: the same key to this interface.
  if (s[j] === ESC && (s[j + 1] === '[' || s[j + 1] === 'O')) j += 1;
  const intro = s[j];
  if (intro === 'O' && j + 1 < s.length) {
    const k = FINAL[s[j + 1]!];
    return [k ? { kind: k } : { kind: 'other' }, j + 2];
  }
  if (intro === '[') {
    let end = j + 1;
    // Parameters and intermediates; "ESC [ [ A" (the Linux console's F-keys) too.
    while (end < s.length && (inCsi(s.charCodeAt(end)) || (end === j + 1 && s[end] === '['))) end += 1;
    if (end >= s.length) return [{ kind: 'other' }, s.length];
    const params = s.slice(j + 1, end);
    const fin = s[end]!;
    const k = fin === '~' ? TILDE[params.split(';')[0] ?? ''] : params.startsWith('[') ? undefined : FINAL[fin];
    return [k ? { kind: k } : { kind: 'other' }, end + 1];
  }
  if (intro === undefined) return [{ kind: 'escape' }, j];
  // Alt and a character: not text, so it never lands in a field.
  const cp = s.codePointAt(j) ?? 0;
  return [{ kind: 'other' }, j + (cp > 0xffff ? 2 : 1)];
}

export function splitKeys(s: string): Key[] {
  const out: Key[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ESC) {
      const [key, next] = escape(s, i);
      out.push(key);
      i = next;
      continue;
    }
    const cp = s.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(cp);
    i += ch.length;
    if (cp < 0x20 || cp === 0x7f) {
      // CR LF is one Enter.
      if (cp === 0x0d && s[i] === '\n') i += 1;
      out.push(control(cp));
    } else if (cp >= 0x80 && cp < 0xa0) out.push({ kind: 'other' });
    else out.push({ kind: 'text', ch });
  }
  return out;
}
