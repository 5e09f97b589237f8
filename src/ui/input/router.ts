// Who gets a key. One router per ink instance hands each key, in order, to the handlers that are
// on screen: prompts before the screen under them, the newest first, until one uses it. Two rules
// make this deterministic, with no timers:
// - A handler reads the state when the key arrives (the store, refs), never a render's closure,
//   so the second key of a read sees what the first one did.
// - A handler added during a read (a prompt that a key of that read opened) gets keys from the
//   next read on: keys typed before it was on screen never answer it.
import type { EventEmitter } from 'node:events';
import { splitKeys, type Key } from './keys.js';

/** True when the handler used the key: handlers under it do not see it. */
export type KeyHandler = (key: Key) => boolean;
/** Prompts are modal: they see a key before the screen does. */
export type Layer = 'screen' | 'prompt';

interface Entry {
  handler: () => KeyHandler;
  rank: number;
  /** The read that was under way (or last) when it was added: it gets later reads only. */
  since: number;
}

export class KeyRouter {
  private entries: Entry[] = [];
  private read = 0;
  private reading = false;
  private added = 0;

  /**
   * One ink input event. Ink emits every event of one read from the terminal synchronously, so a
   * read ends at the next microtask checkpoint.
   */
  readonly input = (data: string): void => {
    if (!this.reading) {
      this.reading = true;
      this.read += 1;
      queueMicrotask(() => {
        this.reading = false;
      });
    }
    for (const key of splitKeys(data)) this.dispatch(key);
  };

  /** Adds a handler (`handler()` gives the current one); returns its removal. */
  add(handler: () => KeyHandler, layer: Layer): () => void {
    this.added += 1;
    const entry: Entry = { handler, rank: (layer === 'prompt' ? 1e9 : 0) + this.added, since: this.read };
    this.entries = [...this.entries, entry].sort((a, b) => b.rank - a.rank);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  private dispatch(key: Key): void {
    // A handler may open or close a prompt: walk the list as it was, skipping what was removed.
    for (const e of this.entries) {
      if (e.since >= this.read || !this.entries.includes(e)) continue;
      if (e.handler()(key)) return;
    }
  }
}

const routers = new WeakMap<EventEmitter, KeyRouter>();

/** The router of an ink instance, keyed by its input event emitter. */
export function routerOf(events: EventEmitter): KeyRouter {
  let r = routers.get(events);
  if (!r) {
    r = new KeyRouter();
    events.on('input', r.input);
    routers.set(events, r);
  }
  return r;
}
