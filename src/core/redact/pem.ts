// Multi-line PEM private keys: the BEGIN line is caught by the rule table, the body lines
// that follow carry no marker of their own, so a little state carries across lines
// (and across chunks of a stream).
import { placeholder } from '../secrets/rules.js';
import type { Edit } from './edits.js';

const BEGIN = /-----BEGIN[A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----/;
const END = /^(.*?)([A-Za-z0-9+/=]*)(-----END[A-Z0-9 ]{0,20}PRIVATE KEY(?: BLOCK)?-----.*)$/;
// A body line, maybe behind a log prefix ("Jul 01 … openclaw[12]: ", "host | ").
const BODY = /^(\s*|.*?[:\]|>]\s+)([A-Za-z0-9+/=]{4,})(\s*)$/;
const HEADER = /^\s*(?:Proc-Type|DEK-Info|Comment):/;
/** A key body longer than this is not a key: stop swallowing lines. */
const MAX_BODY_LINES = 200;
const ID = 'pem-private-key';

export class PemState {
  /** Body lines seen so far; 0 when outside a key. This number is the whole state. */
  lines = 0;

  /** Whether `line` (already redacted by the rules) opens a multi-line key. */
  opens(line: string): boolean {
    const b = BEGIN.exec(line);
    return b !== null && !line.includes('-----END', b.index);
  }

  /**
   * Handles one line inside a key: pushes the edit that hides its body part (offsets from
   * `at`, where the line starts) and returns true. Returns false when the line is not part
   * of the key (the caller then handles it as an ordinary line).
   */
  bodyLine(line: string, at: number, edits: Edit[], onHit: (id: string) => void): boolean {
    // END backtracks a lot on a long body line: look for its marker first.
    const end = line.includes('-----END') ? END.exec(line) : null;
    if (end) {
      this.lines = 0;
      if (!end[2]) return true;
      onHit(ID);
      const start = at + end[1]!.length;
      edits.push({ start, end: start + end[2]!.length, text: placeholder(ID) });
      return true;
    }
    const body = BODY.exec(line);
    if (body) {
      if (++this.lines > MAX_BODY_LINES) this.lines = 0;
      onHit(ID);
      const start = at + body[1]!.length;
      edits.push({ start, end: start + body[2]!.length, text: placeholder(ID) });
      return true;
    }
    if (line.trim() === '' || HEADER.test(line)) return true;
    this.lines = 0;
    return false;
  }
}
