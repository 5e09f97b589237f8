// A text field whose value lives in a ref, not in a render: the next key of the same read edits
// what the previous one left (React state would still show the old value until it re-renders).
import { useReducer, useRef } from 'react';
import type { Key } from './keys.js';
import { editField, EMPTY_FIELD, type FieldState } from './field.js';

export interface Field {
  readonly value: string;
  readonly cursor: number;
  /** Applies the key if it is an edit; false when it is not (a shortcut, Enter, Esc). */
  edit(key: Key): boolean;
  /** The value, and an empty field. */
  take(): string;
}

class FieldRef implements Field {
  private state: FieldState = EMPTY_FIELD;
  constructor(private readonly redraw: () => void) {}
  get value(): string {
    return this.state.value;
  }
  get cursor(): number {
    return this.state.cursor;
  }
  edit(key: Key): boolean {
    const next = editField(this.state, key);
    if (!next) return false;
    this.state = next;
    this.redraw();
    return true;
  }
  take(): string {
    const v = this.state.value;
    this.state = EMPTY_FIELD;
    this.redraw();
    return v;
  }
}

export function useField(): Field {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const ref = useRef<FieldRef | null>(null);
  ref.current ??= new FieldRef(redraw);
  return ref.current;
}
