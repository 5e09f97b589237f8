// The question before a mutating step: the exact command (whole, wrapped, never cut), the policy
// verdict, and the keys. Production asks for the host name to be typed instead of "y".
import { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { ApprovalRequest } from '../../core/exec/types.js';
import type { Key } from '../input/keys.js';
import { useKeys } from '../input/useKeys.js';
import { useField } from '../input/useField.js';
import { FieldView } from './FieldView.js';
import { Lines, line, seg, wrapCommand, wrapWords, type Line } from '../lines.js';
import { colorOn } from '../theme.js';

export interface ConfirmProps {
  req: ApprovalRequest;
  width: number;
  onAnswer: (approved: boolean) => void;
  onExplain: () => void;
  onDiff: () => void;
  onQuit: () => void;
}

export function confirmLines(req: ApprovalRequest, width: number): Line[] {
  const s = req.step;
  const rule = '─'.repeat(Math.max(0, width - 32 - s.id.length - req.host.name.length));
  const out: Line[] = [[seg(`── confirm ${s.id} (${s.risk}) on ${req.host.name} `, s.risk === 'destructive' ? 'bad' : 'warn', true), seg(rule, 'dim')]];
  for (const l of wrapWords(s.reason, width)) out.push(line(l));
  for (const l of wrapCommand(`$ ${req.command}`, width)) out.push(line(l, undefined, true));
  for (const l of wrapWords(`policy: ${req.verdict.decision} (${req.verdict.rule}): ${req.verdict.reason}`, width, '  ').slice(0, 2)) out.push(line(l, 'dim'));
  return out;
}

const isCtrl = (key: Key, ch: string) => key.kind === 'ctrl' && key.ch === ch;

export function ConfirmPrompt({ req, width, onAnswer, onExplain, onDiff, onQuit }: ConfirmProps) {
  const field = useField();
  const [mismatch, setMismatch] = useState(false);
  // One answer per question: the rest of the read that answered it must not answer it again
  // (nor a next question that kept this component, should one have the same step id).
  const answered = useRef<ApprovalRequest | null>(null);
  const finish = (then: () => void) => {
    answered.current = req;
    then();
  };
  // Production: the host name, typed. Enter checks it; Esc declines.
  const typedKey = (key: Key): boolean => {
    if (key.kind === 'escape') finish(() => onAnswer(false));
    else if (key.kind !== 'return') return field.edit(key);
    else if (field.take().trim() === req.host.name) finish(() => onAnswer(true));
    else setMismatch(true);
    return true;
  };
  const letterKey = (key: Key): boolean => {
    const k = key.kind === 'text' ? key.ch.toLowerCase() : '';
    if (k === 'y') finish(() => onAnswer(true));
    else if (k === 'n') finish(() => onAnswer(false));
    else if (k === 'q') finish(onQuit);
    else if (k === 'e') onExplain();
    else if (k === 'd') onDiff();
    else return false;
    return true;
  };
  useKeys(
    (key) => {
      if (answered.current === req) return true;
      // Ctrl-E and Ctrl-D are shortcuts in both forms, never typed into the host name.
      if (isCtrl(key, 'e')) onExplain();
      else if (isCtrl(key, 'd')) onDiff();
      else return req.typeHostName ? typedKey(key) : letterKey(key);
      return true;
    },
    { layer: 'prompt' },
  );
  return (
    <Box flexDirection="column">
      <Lines lines={confirmLines(req, width)} width={width} />
      {req.typeHostName ? (
        <Box>
          <Text>{`production: type ${req.host.name} to run it${mismatch ? ' (no match)' : ''}: `}</Text>
          <FieldView value={field.value} cursor={field.cursor} showCursor={colorOn()} />
        </Box>
      ) : (
        <Lines
          lines={[
            [
              seg('run it? ', 'warn', true),
              seg('y', undefined, true),
              seg(' yes  '),
              seg('n', undefined, true),
              seg(' no  '),
              seg('e', undefined, true),
              seg(' explain  '),
              seg('d', undefined, true),
              seg(' diff  '),
              seg('q', undefined, true),
              seg(' no, and quit'),
            ],
          ]}
          width={width}
        />
      )}
      {req.typeHostName ? <Lines lines={[line('Enter run · Esc decline · Ctrl-E explain · Ctrl-D diff', 'dim')]} width={width} /> : null}
    </Box>
  );
}

/** Rows the prompt takes, for the layout. */
export const confirmHeight = (req: ApprovalRequest, width: number) => confirmLines(req, width).length + (req.typeHostName ? 2 : 1);
