// Keys for a component, through its ink instance's router. Unlike ink's useInput, it subscribes in
// a layout effect, in the same commit that draws the component: a key read once it is on screen
// always reaches it, with no effect left to run first. The handler is read when a key arrives, so
// the subscription never changes with a render.
import { useLayoutEffect, useRef } from 'react';
import { useStdin } from 'ink';
import { routerOf, type KeyHandler, type Layer } from './router.js';

export function useKeys(handler: KeyHandler, o: { layer?: Layer; active?: boolean } = {}): void {
  const layer = o.layer ?? 'screen';
  const active = o.active ?? true;
  // ink's documented context has no event emitter of its own: its useInput listens to this one.
  const { internal_eventEmitter: events, setRawMode } = useStdin();
  const latest = useRef(handler);
  useLayoutEffect(() => {
    latest.current = handler;
  });
  useLayoutEffect(() => {
    if (!active) return;
    setRawMode(true);
    const remove = routerOf(events).add(() => latest.current, layer);
    return () => {
      remove();
      setRawMode(false);
    };
  }, [active, layer, events, setRawMode]);
}
