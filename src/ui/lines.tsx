// Every panel is a list of lines of coloured segments, cut to the terminal's width and a given
// height here, in one place: that is what keeps the screen inside 80x24.
import { Box, Text } from 'ink';
import { colorOn, TONE_COLOR, type Tone } from './theme.js';

export interface Seg {
  text: string;
  tone?: Tone;
  bold?: boolean;
}
export type Line = Seg[];

export const seg = (text: string, tone?: Tone, bold?: boolean): Seg => ({ text, ...(tone ? { tone } : {}), ...(bold ? { bold } : {}) });
export const line = (text: string, tone?: Tone, bold?: boolean): Line => [seg(text, tone, bold)];

/** Cuts a line to `width` characters, marking the cut with "…". */
export function fitLine(l: Line, width: number): Line {
  const out: Line = [];
  let left = Math.max(1, width);
  const total = l.reduce((n, s) => n + s.text.length, 0);
  const cut = total > left;
  if (cut) left -= 1;
  for (const s of l) {
    if (left <= 0) break;
    const text = s.text.length > left ? s.text.slice(0, left) : s.text;
    out.push({ ...s, text });
    left -= text.length;
  }
  if (cut) out.push(seg('…', 'dim'));
  return out;
}

/** Hard-wraps text (a command must be shown whole, never cut). */
export function wrap(text: string, width: number, indent = ''): string[] {
  const room = Math.max(10, width - indent.length);
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    let rest = raw;
    do {
      out.push(indent + rest.slice(0, room));
      rest = rest.slice(room);
    } while (rest.length);
  }
  return out;
}

/**
 * A command over several rows, broken between words with a shell continuation (" \\") so what is
 * shown is still exactly what runs, and can be pasted; a word longer than a row is cut hard.
 */
export function wrapCommand(command: string, width: number, indent = '  '): string[] {
  const room = Math.max(10, width - indent.length - 2);
  const rows = wrapWords(command, room);
  const out: string[] = [];
  rows.forEach((r, i) => out.push(`${indent}${r}${i < rows.length - 1 && !(r.length === room && !r.endsWith(' ')) ? ' \\' : ''}`));
  return out;
}

/** Wraps prose at spaces (words longer than the room are cut hard). */
export function wrapWords(text: string, width: number, indent = ''): string[] {
  const room = Math.max(10, width - indent.length);
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    let cur = '';
    for (const word of raw.split(' ')) {
      const next = cur ? `${cur} ${word}` : word;
      if (next.length <= room) cur = next;
      else {
        if (cur) out.push(indent + cur);
        cur = word;
        while (cur.length > room) {
          out.push(indent + cur.slice(0, room));
          cur = cur.slice(room);
        }
      }
    }
    out.push(indent + cur);
  }
  return out;
}

/** A window of `height` lines from `scroll`; says how much is hidden below. */
export function windowOf(lines: Line[], height: number, scroll = 0): Line[] {
  if (lines.length <= height) return lines;
  const top = Math.max(0, Math.min(scroll, lines.length - height + 1));
  const shown = lines.slice(top, top + height - 1);
  const below = lines.length - top - shown.length;
  return [...shown, line(below > 0 ? `  … ${below} more line${below === 1 ? '' : 's'} (PgDn/↓)` : '  (end; PgUp/↑)', 'dim')];
}

export function Lines({ lines, width, height, scroll = 0 }: { lines: Line[]; width: number; height?: number; scroll?: number }) {
  const shown = height === undefined ? lines : windowOf(lines, height, scroll);
  const color = colorOn();
  return (
    <Box flexDirection="column">
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate">
          {l.length === 0
            ? ' '
            : fitLine(l, width).map((s, j) =>
                color && (s.tone || s.bold) ? (
                  <Text key={j} {...(s.tone ? { color: TONE_COLOR[s.tone] } : {})} bold={Boolean(s.bold)}>
                    {s.text}
                  </Text>
                ) : (
                  s.text
                ),
              )}
        </Text>
      ))}
    </Box>
  );
}
