// The interactive session: header, tabs, the main panel, the conversation, and the prompts of
// the deploy flow. A view over the store; the session code does the work.
import { useEffect } from 'react';
import { Box, Text, useApp } from 'ink';
import type { UiContext } from './session/context.js';
import type { DeploySession } from './session/deploy.js';
import { useStore } from './session/store.js';
import { interruptChoice } from './session/approver.js';
import { loadHosts } from './session/hosts.js';
import { runIncident } from './session/incident.js';
import { runCommand } from './session/commands.js';
import type { Panel, UiState } from './session/state.js';
import { useKeys } from './input/useKeys.js';
import { useField } from './input/useField.js';
import { appKey, inputFocus as inputFocusOf } from './appKeys.js';
import { Lines, type Line } from './lines.js';
import { colorOn } from './theme.js';
import { planLines } from './panels/plan.js';
import { diffLines } from './panels/diff.js';
import { stepLines } from './panels/steps.js';
import { healthLines } from './panels/health.js';
import { generationLines } from './panels/generations.js';
import { hostLines } from './panels/hosts.js';
import { answerLines, bannerLines, footerLine, headerLine, tabsLine } from './layout.js';
import { ConfirmPrompt, confirmHeight } from './components/ConfirmPrompt.js';
import { InterruptPrompt } from './components/InterruptPrompt.js';
import { Progress } from './components/Progress.js';
import { FieldView } from './components/FieldView.js';

export interface AppProps {
  ctx: UiContext;
  deploy: DeploySession;
  size?: { columns: number; rows: number };
}

function panelLines(s: UiState, width: number): Line[] {
  switch (s.panel) {
    case 'plan':
      return s.plan ? planLines(s.plan, s.explanation, width) : [];
    case 'diff':
      return s.plan ? diffLines(s.plan.changes) : s.proposal ? diffLines(s.proposal.changes ?? []) : [];
    case 'steps':
      return stepLines(s.steps, s.confirm?.req.step.id);
    case 'output':
      return s.output.length ? s.output.map((l) => [{ text: l }]) : [[{ text: 'No output yet.', tone: 'dim' }]];
    case 'health':
      return healthLines(s.health);
    case 'generations':
      return generationLines(s.proposal, s.explanation, width);
  }
}

export function App({ ctx, deploy, size }: AppProps) {
  const s = useStore(ctx.store);
  const { exit } = useApp();
  const field = useField();
  const columns = size?.columns ?? process.stdout.columns ?? 80;
  const rows = size?.rows ?? process.stdout.rows ?? 24;
  const width = Math.max(40, columns - 1);
  const set = ctx.store.set.bind(ctx.store);

  useEffect(() => {
    if (s.quitWhenDone && (s.mode === 'done' || s.mode === 'error')) exit();
  }, [s.quitWhenDone, s.mode, exit]);

  useKeys((key) => appKey(key, { store: ctx.store, deploy, field, rows, exit, submit: (text) => runCommand(text, { ctx, deploy, exit }) }));

  const inputFocus = inputFocusOf(s);
  const setPanel = (panel: Panel) => set({ panel, scroll: 0 });

  // Rows: header, tabs, banners, [main], notice, answer, progress, prompt, input, footer; one spare.
  const header = [headerLine(s), tabsLine(s)];
  const banners = bannerLines(s, width);
  const notice: Line[] = s.notice ? [[{ text: s.notice.slice(0, width), tone: 'warn' }]] : [];
  const footer = footerLine(s);
  const progress = s.running ? 1 : 0;
  const prompt = s.interrupt ? 2 : s.confirm ? confirmHeight(s.confirm.req, width) : 0;
  const fixed = header.length + banners.length + notice.length + progress + prompt + (inputFocus ? 1 : 0) + (footer.length ? 1 : 0) + 1;
  const answer = answerLines(s, width, Math.max(1, Math.min(5, rows - fixed - 6)));
  const mainHeight = Math.max(3, rows - fixed - answer.length);
  const main = s.mode === 'picker' ? hostLines(s.hosts, s.selected) : s.mode === 'planning' && !s.proposal ? [] : panelLines(s, width);

  return (
    <Box flexDirection="column" width={columns}>
      <Lines lines={header} width={width} />
      <Lines lines={banners} width={width} />
      <Box height={mainHeight} flexDirection="column">
        <Lines lines={main} width={width} height={mainHeight} scroll={s.scroll} />
      </Box>
      <Lines lines={notice} width={width} />
      <Lines lines={answer} width={width} />
      {s.running ? <Progress label={s.running.label} startedAt={s.running.startedAt} lastLine={s.running.lastLine} width={width} /> : null}
      {s.interrupt ? <InterruptPrompt width={width} onChoice={(c) => interruptChoice(ctx.store, c)} /> : null}
      {s.confirm && !s.interrupt ? (
        <ConfirmPrompt
          key={s.confirm.req.step.id}
          req={s.confirm.req}
          width={width}
          onAnswer={(ok) => s.confirm?.answer(ok)}
          onExplain={() => void deploy.explainStep(s.confirm!.req)}
          onDiff={() => setPanel(s.incident ? 'generations' : 'diff')}
          onQuit={() => {
            set({ quitWhenDone: true });
            s.confirm?.answer(false);
          }}
        />
      ) : null}
      {inputFocus ? (
        <Box>
          <Text>{colorOn() ? <Text color="cyan">{'> '}</Text> : '> '}</Text>
          <FieldView value={field.value} cursor={field.cursor} showCursor={colorOn()} />
        </Box>
      ) : null}
      <Lines lines={footer.length ? [footer] : []} width={width} />
    </Box>
  );
}

/** Starts what the mode needs: the host list, a plan, or the incident view. */
export function start(ctx: UiContext, deploy: DeploySession, o: { host?: string; incident?: boolean }): void {
  if (o.incident && o.host) void runIncident(ctx, o.host, (chat) => deploy.useIncident(chat));
  else if (o.host) void deploy.open(o.host);
  else void loadHosts(ctx);
}
