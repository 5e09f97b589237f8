// Ctrl-C during a deploy never just dies: stop after the current step, roll back, or continue.
// Both "stop" and "roll back" decline the next step; the flow then undoes what it changed and
// records the deploy.
import { useInput } from 'ink';
import { Lines, seg } from '../lines.js';

export function InterruptPrompt({ width, onChoice }: { width: number; onChoice: (c: 'stop' | 'rollback' | 'continue') => void }) {
  useInput((input, key) => {
    const k = input.toLowerCase();
    if (k === 's') onChoice('stop');
    else if (k === 'r') onChoice('rollback');
    else if (k === 'c' || key.escape) onChoice('continue');
  });
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
