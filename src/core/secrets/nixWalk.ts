// Follows attribute paths through a Nix file: `a.b = { c = "x"; };` and `a.b.c = "x";`
// both yield the binding a.b.c. Function calls and lib.mkIf/mkForce wrappers keep the
// path of the binding they sit in; `let` bindings start from an empty path.
import { tokenize, type Tok } from './nixLexer.js';

export type ValueKind = 'string' | 'interpolated' | 'attrs' | 'path' | 'readFile' | 'expr';

export interface Binding {
  path: string[];
  kind: ValueKind;
  /** The literal text, for `string` (and `path`, the path itself). */
  value?: string;
  /** Line of the value (1-based). */
  line: number;
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
/** Wrappers that do not change what a value is: lib.mkForce "x" is still "x". */
const WRAPPERS = new Set(['lib', 'mkForce', 'mkDefault', 'mkOverride', 'mkOptionDefault', 'mkBefore', 'mkAfter']);

export function nixBindings(src: string): Binding[] {
  return new Walker(tokenize(src)).run();
}

class Walker {
  private readonly close: number[];
  private readonly out: Binding[] = [];

  constructor(private readonly t: Tok[]) {
    this.close = matchBrackets(t);
  }

  run(): Binding[] {
    this.expr(0, this.t.length, []);
    return this.out;
  }

  private isOp(i: number, op: string): boolean {
    const k = this.t[i];
    return k !== undefined && k.kind === 'op' && k.text === op;
  }

  private isId(i: number, id: string): boolean {
    const k = this.t[i];
    return k !== undefined && k.kind === 'id' && k.text === id;
  }

  /** Scans an expression for attrsets and lets; `prefix` is the path it is bound to. */
  private expr(from: number, to: number, prefix: string[]): void {
    let i = from;
    while (i < to) {
      if (this.isOp(i, '{')) {
        const c = this.close[i]!;
        // `{ config, ... }:` and `args@{ … }:` are function patterns, not attrsets.
        if (!(this.isOp(c + 1, ':') || this.isOp(c + 1, '@') || this.isOp(i - 1, '@'))) this.bindings(i + 1, c, prefix, false);
        i = c + 1;
      } else if (this.isId(i, 'let')) {
        i = this.bindings(i + 1, to, [], true) + 1;
      } else {
        i++;
      }
    }
  }

  /** Bindings up to `to` (or up to `in` for a let); returns where it stopped. */
  private bindings(from: number, to: number, prefix: string[], isLet: boolean): number {
    let i = from;
    while (i < to) {
      if (isLet && this.isId(i, 'in')) return i;
      if (this.isId(i, 'inherit')) {
        i = this.skipTo(i, to) + 1;
        continue;
      }
      const { path, next } = this.attrPath(i, to);
      if (path.length > 0 && this.isOp(next, '=')) {
        const end = this.skipTo(next + 1, to);
        const full = [...prefix, ...path];
        this.out.push(this.binding(full, next + 1, end));
        this.expr(next + 1, end, full);
        i = end + 1;
      } else {
        i = Math.max(i + 1, this.skipTo(i, to) + 1);
      }
    }
    return to;
  }

  private attrPath(i: number, to: number): { path: string[]; next: number } {
    const path: string[] = [];
    while (i < to) {
      const k = this.t[i]!;
      if (k.kind === 'id' || (k.kind === 'str' && !k.interpolated)) path.push(k.text);
      else if (k.kind === 'interp' || k.kind === 'str') path.push('*');
      else break;
      i++;
      if (!this.isOp(i, '.')) break;
      i++;
    }
    return { path, next: i };
  }

  /** Index of the `;` that ends the current binding (brackets skipped), or `to`. */
  private skipTo(i: number, to: number): number {
    while (i < to) {
      const k = this.t[i]!;
      if (k.kind === 'op' && OPEN[k.text]) i = this.close[i]! + 1;
      else if (k.kind === 'op' && k.text === ';') return i;
      else i++;
    }
    return to;
  }

  private binding(path: string[], from: number, to: number): Binding {
    const toks = this.t.slice(from, to);
    const line = toks[0]?.line ?? this.t[from - 1]?.line ?? 1;
    const last = toks[toks.length - 1];
    if (toks.some((k) => k.kind === 'id' && k.text === 'readFile')) return { path, kind: 'readFile', line };
    if (toks.length > 0 && this.isOp(from, '{')) return { path, kind: 'attrs', line };
    const wrapped = toks.slice(0, -1).every((k) => (k.kind === 'id' && WRAPPERS.has(k.text)) || k.kind === 'num' || (k.kind === 'op' && k.text === '.'));
    if (last && wrapped && last.kind === 'str') {
      return { path, kind: last.interpolated ? 'interpolated' : 'string', value: last.text, line: last.line };
    }
    if (last && wrapped && last.kind === 'path') return { path, kind: 'path', value: last.text, line: last.line };
    return { path, kind: 'expr', line };
  }
}

/** For each opening bracket, the index of its closing one (unbalanced: end of input). */
function matchBrackets(t: Tok[]): number[] {
  const close: number[] = new Array<number>(t.length).fill(t.length);
  const stack: number[] = [];
  t.forEach((k, i) => {
    if (k.kind !== 'op') return;
    if (OPEN[k.text]) stack.push(i);
    else if (k.text === '}' || k.text === ']' || k.text === ')') {
      const o = stack.pop();
      if (o !== undefined) close[o] = i;
    }
  });
  return close;
}
