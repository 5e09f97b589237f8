// The question before a mutating step: the exact command (whole, wrapped, never cut), the policy
// verdict, and the keys. Production asks for the host name to be typed instead of "y".
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import TextInput from 'ink-text-input';
import type { ApprovalRequest } from '../../core/exec/types.js';
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

export function ConfirmPrompt({ req, width, onAnswer, onExplain, onDiff, onQuit }: ConfirmProps) {
  const [typed, setTyped] = useState('');
  const [mismatch, setMismatch] = useState(false);
  useInput((input, key) => {
    if (req.typeHostName) {
      if (key.escape) onAnswer(false);
      else if (key.ctrl && input === 'e') onExplain();
      else if (key.ctrl && input === 'd') onDiff();
      return;
    }
    const k = input.toLowerCase();
    if (k === 'y') onAnswer(true);
    else if (k === 'n') onAnswer(false);
    else if (k === 'e') onExplain();
    else if (k === 'd') onDiff();
    else if (k === 'q') onQuit();
  });
  return (
    <Box flexDirection="column">
      <Lines lines={confirmLines(req, width)} width={width} />
      {req.typeHostName ? (
        <Box>
          <Text>{`production: type ${req.host.name} to run it${mismatch ? ' (no match)' : ''}: `}</Text>
          <TextInput
            value={typed}
            onChange={setTyped}
            showCursor={colorOn()}
            onSubmit={(v) => {
              if (v.trim() === req.host.name) onAnswer(true);
              else {
                setMismatch(true);
                setTyped('');
              }
            }}
          />
        </Box>
      ) : (
        <Lines lines={[[seg('run it? ', 'warn', true), seg('y', undefined, true), seg(' yes  '), seg('n', undefined, true), seg(' no  '), seg('e', undefined, true), seg(' explain  '), seg('d', undefined, true), seg(' diff  '), seg('q', undefined, true), seg(' no, and quit')]]} width={width} />
      )}
      {req.typeHostName ? <Lines lines={[line('Enter run · Esc decline · Ctrl-E explain · Ctrl-D diff', 'dim')]} width={width} /> : null}
    </Box>
  );
}

/** Rows the prompt takes, for the layout. */
export const confirmHeight = (req: ApprovalRequest, width: number) => confirmLines(req, width).length + (req.typeHostName ? 2 : 1);
