// Ctrl-C during a deploy never just dies: stop after the current step, roll back, or continue.
// Both "stop" and "roll back" decline the next step; the flow then undoes what it changed and
// records the deploy.
import { useRef } from 'react';
import { useKeys } from '../input/useKeys.js';
import { Lines, seg } from '../lines.js';

export function InterruptPrompt({ width, onChoice }: { width: number; onChoice: (c: 'stop' | 'rollback' | 'continue') => void }) {
  // One choice: the rest of the read that made it goes nowhere (not to the question behind).
  const chosen = useRef(false);
  useKeys(
    (key) => {
      if (chosen.current) return true;
      const k = key.kind === 'text' ? key.ch.toLowerCase() : key.kind === 'escape' ? 'c' : '';
      const choice = k === 's' ? 'stop' : k === 'r' ? 'rollback' : k === 'c' ? 'continue' : null;
      if (choice) {
        chosen.current = true;
        onChoice(choice);
      }
      // Modal: no key reaches the screen behind it (a second Ctrl-C included).
      return true;
    },
    { layer: 'prompt' },
  );
  return (
    <Lines
      width={width}
      lines={[
        [seg('Interrupted. The host is mid-deploy: nothing is left half-applied and unrecorded.', 'warn', true)],
        [seg('s', undefined, true), seg(' stop after the current step  '), seg('r', undefined, true), seg(' roll back  '), seg('c', undefined, true), seg(' continue')],
      ]}
    />
  );
}
