// The input layer without React: a read split into keys, the router's order and its rule for
// handlers added during a read, and the text field's edits.
import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { splitKeys, type Key } from '../../src/ui/input/keys.js';
import { routerOf } from '../../src/ui/input/router.js';
import { editField, EMPTY_FIELD, type FieldState } from '../../src/ui/input/field.js';

const kinds = (s: string) => splitKeys(s).map((k) => (k.kind === 'text' || k.kind === 'ctrl' ? `${k.kind}:${k.ch}` : k.kind));

describe('splitKeys', () => {
  it('splits text, control characters and escape sequences into keys, in order', () => {
    expect(kinds('\u001b[B\r')).toEqual(['down', 'return']);
    expect(kinds('y\r\n\u0005ab')).toEqual(['text:y', 'return', 'ctrl:e', 'text:a', 'text:b']);
    expect(kinds('\u001b[A\u001bOB\u001b[5~\u001b[6~\u001b[H\u001b[4~\u001b[3~\u001b[Z\t')).toEqual(['up', 'down', 'pageup', 'pagedown', 'home', 'end', 'delete', 'backtab', 'tab']);
    expect(kinds('\u001b')).toEqual(['escape']);
    expect(kinds('\u007f\u0008')).toEqual(['backspace', 'backspace']);
    expect(kinds('é🙂')).toEqual(['text:é', 'text:🙂']);
  });

  it('never makes text of what is not: Alt-x, F-keys, the Linux console F-keys, a cut sequence', () => {
    expect(kinds('\u001bx\u001b[15~\u001b[[A\u001b[1;5')).toEqual(['other', 'other', 'other', 'other']);
    expect(kinds('\u001b\u001b[A')).toEqual(['up']);
  });
});

describe('KeyRouter', () => {
  const recorder =
    (log: string[], name: string, use: (k: Key) => boolean = () => true) =>
    () =>
    (k: Key) => {
      log.push(`${name}:${kinds2(k)}`);
      return use(k);
    };
  const kinds2 = (k: Key) => (k.kind === 'text' ? k.ch : k.kind);

  it('gives a key to prompts first, the newest first, until one uses it', () => {
    const events = new EventEmitter();
    const log: string[] = [];
    routerOf(events).add(recorder(log, 'screen'), 'screen');
    routerOf(events).add(
      recorder(log, 'prompt', (k) => k.kind === 'text'),
      'prompt',
    );
    events.emit('input', 'y\r');
    expect(log).toEqual(['prompt:y', 'prompt:return', 'screen:return']);
  });

  it('a handler added during a read (by one of its keys) gets the next read, not the rest of this one', async () => {
    const events = new EventEmitter();
    const router = routerOf(events);
    const log: string[] = [];
    router.add(
      recorder(log, 'screen', (k) => {
        if (k.kind === 'text' && k.ch === 'c') router.add(recorder(log, 'prompt'), 'prompt');
        return true;
      }),
      'screen',
    );
    events.emit('input', 'cy');
    events.emit('input', 'z');
    await Promise.resolve();
    events.emit('input', 'n');
    expect(log).toEqual(['screen:c', 'screen:y', 'screen:z', 'prompt:n']);
  });

  it('a handler added between reads gets the very next key', () => {
    const events = new EventEmitter();
    const log: string[] = [];
    routerOf(events).add(recorder(log, 'prompt'), 'prompt');
    events.emit('input', 'y');
    expect(log).toEqual(['prompt:y']);
  });
});

describe('editField', () => {
  const type = (keys: string, from: FieldState = EMPTY_FIELD) => splitKeys(keys).reduce((f, k) => editField(f, k) ?? f, from);

  it('types, moves and deletes by character; Ctrl keys, Enter and Esc are not edits', () => {
    expect(type('prod-ex\u007fu')).toEqual({ value: 'prod-eu', cursor: 7 });
    expect(type('ac\u001b[Db')).toEqual({ value: 'abc', cursor: 2 });
    expect(type('abc\u001b[H\u001b[3~\u001b[F!')).toEqual({ value: 'bc!', cursor: 3 });
    for (const k of splitKeys('\u0005\u0004\r\u001b\t')) expect(editField({ value: 'x', cursor: 1 }, k)).toBeNull();
  });
});
