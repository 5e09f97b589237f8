// A redaction is a list of edits on the input: replace [start, end) with `text`. Working on
// edits instead of building a new string lets the byte path copy the untouched bytes as they
// are (no decode/encode of the whole block) and lets a clean block skip output work.

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * `text[from, to)` with `edits` (sorted, non-overlapping, inside the range) applied. Edit
 * offsets are in a frame where `text` starts at `base` (a line cut from a block).
 */
export function applyEdits(text: string, edits: readonly Edit[], from = 0, to = text.length, base = 0): string {
  if (edits.length === 0) return from === 0 && to === text.length ? text : text.slice(from, to);
  let out = '';
  let at = from;
  for (const e of edits) {
    out += text.slice(at, e.start - base) + e.text;
    at = e.end - base;
  }
  return out + text.slice(at, to);
}
