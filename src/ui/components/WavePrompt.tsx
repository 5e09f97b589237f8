// The answer to a rollout wave's question, under its hosts and commands: y runs the wave, any
// other key stops the rollout (the arrows and PgUp/PgDn scroll the commands). A wave with
// production hosts needs those host names typed, as the confirm prompt's typed host name: Enter
// checks them (in any order), Esc stops.
import { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { Key } from '../input/keys.js';
import { useKeys } from '../input/useKeys.js';
import { useField } from '../input/useField.js';
import { FieldView } from './FieldView.js';
import { Lines, line, seg, wrapWords } from '../lines.js';
import { colorOn } from '../theme.js';
import type { WaveAsk } from '../session/fleetState.js';

/** Keys that read the question (scroll) instead of answering it. */
const READING = new Set<Key['kind']>(['up', 'down', 'pageup', 'pagedown']);

const sameNames = (typed: string, names: string[]) => typed.trim().split(/\s+/).sort().join(' ') === [...names].sort().join(' ');

export function WavePrompt({ ask, width, onAnswer }: { ask: WaveAsk; width: number; onAnswer: (approved: boolean) => void }) {
  const field = useField();
  const [mismatch, setMismatch] = useState(false);
  // One answer per question: the rest of the read that answered it goes nowhere.
  const answered = useRef(false);
  const finish = (approved: boolean) => {
    answered.current = true;
    onAnswer(approved);
  };
  const typedKey = (key: Key): boolean => {
    if (key.kind === 'escape' || (key.kind === 'ctrl' && key.ch === 'c')) finish(false);
    else if (key.kind !== 'return') return field.edit(key);
    else if (sameNames(field.take(), ask.production)) finish(true);
    else setMismatch(true);
    return true;
  };
  useKeys(
    (key) => {
      if (answered.current) return true;
      if (READING.has(key.kind)) return false;
      if (ask.production.length) return typedKey(key);
      finish(key.kind === 'text' && key.ch.toLowerCase() === 'y');
      return true;
    },
    { layer: 'prompt' },
  );
  if (!ask.production.length)
    return <Lines lines={[[seg('run this wave? ', 'warn', true), seg('y', undefined, true), seg(' yes · any other key stops the rollout · ↑/↓ PgUp/PgDn read', 'dim')]]} width={width} />;
  return (
    <Box flexDirection="column">
      <Lines lines={typedLines(ask, width)} width={width} />
      <Box>
        <Text>{`type them${mismatch ? ' (no match)' : ''}: `}</Text>
        <FieldView value={field.value} cursor={field.cursor} showCursor={colorOn()} />
      </Box>
      <Lines lines={[line('Enter run · Esc stop the rollout · ↑/↓ PgUp/PgDn read', 'dim')]} width={width} />
    </Box>
  );
}

/** The names to type, whole (a wave may hold many production hosts). */
const typedLines = (ask: WaveAsk, width: number) => wrapWords(`production: to run this wave, type ${ask.production.join(' ')}`, width).map((t) => line(t, 'warn', true));

/** Rows the prompt takes, for the layout. */
export const wavePromptHeight = (ask: WaveAsk, width: number) => (ask.production.length ? typedLines(ask, width).length + 2 : 1);
