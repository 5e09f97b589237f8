// The fleet view: a rollout's waves and hosts as they run, the current wave kept in sight, and a
// wave's question (its hosts and exact commands) answered here. A view over the fleet store.
import { useRef } from 'react';
import { Box } from 'ink';
import type { FleetStore } from '../session/fleetStore.js';
import { useFleet } from '../session/fleetStore.js';
import { interruptFleet } from '../session/waveApprover.js';
import { useKeys } from '../input/useKeys.js';
import { Lines, line, wrapWords } from '../lines.js';
import { fleetLines } from '../panels/fleet.js';
import { waveAskLines } from '../panels/waveAsk.js';
import { fleetFooter, fleetHeader, fleetProgress } from '../fleetLayout.js';
import { WavePrompt, wavePromptHeight } from './WavePrompt.js';
import { Progress } from './Progress.js';

/** When what the spinner times began: a new stage or wave restarts the clock. */
function useSince(key: string): number {
  const since = useRef({ key, at: Date.now() });
  if (since.current.key !== key) since.current = { key, at: Date.now() };
  return since.current.at;
}

export function FleetPanel({ store, size }: { store: FleetStore; size?: { columns: number; rows: number } }) {
  const s = useFleet(store);
  const columns = size?.columns ?? process.stdout.columns ?? 80;
  const rows = size?.rows ?? process.stdout.rows ?? 24;
  const width = Math.max(40, columns - 1);
  const { lines, focus } = s.ask ? { lines: waveAskLines(s.ask, width), focus: 0 } : fleetLines(s, width);
  const progress = fleetProgress(s);
  const startedAt = useSince(progress?.key ?? '');
  const notice = s.notice
    ? wrapWords(s.notice, width)
        .slice(0, 2)
        .map((t) => line(t, 'warn'))
    : [];
  const footer = fleetFooter(s);
  // Rows: header, [main], notice, spinner, prompt, footer; one spare.
  const fixed = 1 + notice.length + (progress ? 1 : 0) + (s.ask ? wavePromptHeight(s.ask, width) : 0) + footer.length + 1;
  const height = Math.max(3, rows - fixed);
  // The current wave in sight (one line above it for context); the arrows move from there.
  const last = Math.max(0, lines.length - height + 1);
  const follow = lines.length > height ? Math.min(last, Math.max(0, focus - 1)) : 0;
  const top = Math.max(0, Math.min(last, follow + s.scroll));

  useKeys((key) => {
    if (key.kind === 'ctrl' && key.ch === 'c') {
      interruptFleet(store);
      return true;
    }
    const page = Math.max(1, height - 1);
    const by = key.kind === 'down' ? 1 : key.kind === 'up' ? -1 : key.kind === 'pagedown' ? page : key.kind === 'pageup' ? -page : 0;
    if (!by) return false;
    // Read when the key arrives: each key of one read moves from where the previous one left.
    const scroll = store.get().scroll + by;
    store.set({ scroll: Math.max(-follow, Math.min(last - follow, scroll)) });
    return true;
  });

  return (
    <Box flexDirection="column" width={columns}>
      <Lines lines={[fleetHeader(s)]} width={width} />
      {/* The last frame stays in the scrollback above the CLI's table: no padding rows in it. */}
      <Box {...(s.stage === 'done' ? {} : { height })} flexDirection="column">
        <Lines lines={lines} width={width} height={height} scroll={top} />
      </Box>
      <Lines lines={notice} width={width} />
      {progress ? <Progress label={progress.label} startedAt={startedAt} lastLine="" width={width} /> : null}
      {s.ask ? <WavePrompt key={`${s.ask.rollout}-${s.ask.number}`} ask={s.ask} width={width} onAnswer={(ok) => s.ask?.answer(ok)} /> : null}
      <Lines lines={footer} width={width} />
    </Box>
  );
}
