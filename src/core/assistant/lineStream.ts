// Model text reaches the screen a line at a time, redacted: a secret split across deltas is
// still caught, since the redactor only ever sees whole lines.
import type { StreamEvent } from '../llm/types.js';

export function redactedLines(redact: (s: string) => string, on?: (e: StreamEvent) => void): { onEvent: (e: StreamEvent) => void; flush: () => void } {
  let line = '';
  const emit = (all: boolean) => {
    const cut = all ? line.length : line.lastIndexOf('\n') + 1;
    if (cut > 0) on?.({ type: 'text', delta: redact(line.slice(0, cut)) });
    line = line.slice(cut);
  };
  return {
    onEvent: (e) => {
      if (e.type !== 'text') return on?.(e);
      line += e.delta;
      emit(false);
    },
    flush: () => emit(true),
  };
}
