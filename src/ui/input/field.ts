// A one-line text field as a value and a cursor, edited key by key. Only printable characters
// are typed: Ctrl combinations, Esc and unknown sequences are not edits (they are shortcuts).
import type { Key } from './keys.js';

export interface FieldState {
  value: string;
  /** In characters (code points), 0..length. */
  cursor: number;
}

export const EMPTY_FIELD: FieldState = { value: '', cursor: 0 };

/** The field after `key`, or null when the key is not an edit. */
export function editField(f: FieldState, key: Key): FieldState | null {
  const chars = Array.from(f.value);
  const at = Math.min(Math.max(0, f.cursor), chars.length);
  const to = (cursor: number, next = chars): FieldState => ({ value: next.join(''), cursor });
  switch (key.kind) {
    case 'text':
      return to(at + 1, [...chars.slice(0, at), key.ch, ...chars.slice(at)]);
    case 'backspace':
      return at === 0 ? to(at) : to(at - 1, [...chars.slice(0, at - 1), ...chars.slice(at)]);
    case 'delete':
      return to(at, [...chars.slice(0, at), ...chars.slice(at + 1)]);
    case 'left':
      return to(Math.max(0, at - 1));
    case 'right':
      return to(Math.min(chars.length, at + 1));
    case 'home':
      return to(0);
    case 'end':
      return to(chars.length);
    default:
      return null;
  }
}
