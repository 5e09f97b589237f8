// The interactive session: header, tabs, the main panel, the conversation, and the prompts of
// the deploy flow. A view over the store; the session code does the work.
import { useEffect, useRef, useState } from 'react';
import { Box, Text, useApp, useInput } from 'ink';
import TextInput from 'ink-text-input';
import type { UiContext } from './session/context.js';
import type { DeploySession } from './session/deploy.js';
import { useStore } from './session/store.js';
import { interruptChoice } from './session/approver.js';
import { loadHosts } from './session/hosts.js';
import { runIncident } from './session/incident.js';
import type { Panel, UiState } from './session/state.js';
import { Lines, type Line } from './lines.js';
import { colorOn } from './theme.js';
import { planLines } from './panels/plan.js';
import { diffLines } from './panels/diff.js';
import { stepLines } from './panels/steps.js';
import { healthLines } from './panels/health.js';
import { generationLines } from './panels/generations.js';
import { hostLines } from './panels/hosts.js';
import { answerLines, bannerLines, footerLine, headerLine, panelsOf, tabsLine } from './layout.js';
import { ConfirmPrompt, confirmHeight } from './components/ConfirmPrompt.js';
import { InterruptPrompt } from './components/InterruptPrompt.js';
import { Progress } from './components/Progress.js';

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
  const [input, setInputState] = useState('');
  // The latest text, for Enter: a key that arrives before the re-render would see a stale value.
  const typed = useRef('');
  const setInput = (v: string) => {
    typed.current = v;
    setInputState(v);
  };
  const columns = size?.columns ?? process.stdout.columns ?? 80;
  const rows = size?.rows ?? process.stdout.rows ?? 24;
  const width = Math.max(40, columns - 1);
  const set = ctx.store.set.bind(ctx.store);

  useEffect(() => {
    if (s.quitWhenDone && (s.mode === 'done' || s.mode === 'error')) exit();
  }, [s.quitWhenDone, s.mode, exit]);

  const busy = s.mode === 'applying' || s.confirm !== null;
  const inputFocus = s.mode !== 'picker' && !s.confirm && !s.interrupt;
  const panels = panelsOf(s);
  const setPanel = (panel: Panel) => set({ panel, scroll: 0 });

  useInput((ch, key) => {
    if (key.ctrl && ch === 'c') {
      if (busy) return set({ interrupt: true });
      if (deploy.cancelAsk()) return;
      return exit();
    }
    if (s.interrupt) return;
    if (key.tab) {
      const i = panels.indexOf(s.panel);
      return setPanel(panels[(i + (key.shift ? panels.length - 1 : 1)) % panels.length] ?? panels[0]!);
    }
    if (key.ctrl && ch === 'o') return setPanel(s.panel === 'output' ? (s.incident ? 'generations' : 'steps') : 'output');
    if (s.mode === 'picker') {
      if (key.upArrow) set({ selected: Math.max(0, s.selected - 1) });
      if (key.downArrow) set({ selected: Math.min(s.hosts.length - 1, s.selected + 1) });
      const h = s.hosts[s.selected];
      if (key.return && h) void deploy.open(h.name);
      return;
    }
    const page = Math.max(1, rows - 10);
    if (key.pageDown || key.downArrow) set({ scroll: s.scroll + (key.pageDown ? page : 1) });
    if (key.pageUp || key.upArrow) set({ scroll: Math.max(0, s.scroll - (key.pageUp ? page : 1)) });
  });

  const submit = (raw: string) => {
    const text = raw.trim();
    setInput('');
    if (!text) return;
    const cmd = text.toLowerCase();
    if (cmd === '/quit' || cmd === '/exit' || cmd === '/q') return busy ? set({ interrupt: true }) : exit();
    if (cmd === '/apply' || cmd === '/resume') return void deploy.apply(cmd === '/resume');
    if (cmd === '/rollback' && s.host && !busy) {
      set({ incident: true, steps: [], health: null, proposal: null, result: null, banners: [], plan: null, stop: null });
      return void runIncident(ctx, s.host, (chat) => deploy.useIncident(chat));
    }
    const panel = cmd.slice(1) as Panel;
    if (cmd.startsWith('/') && panels.includes(panel)) return setPanel(panel);
    if (cmd.startsWith('/')) return set({ notice: `commands: /apply, /resume, /rollback, /${panels.join(', /')}, /quit; anything else is a question` });
    void deploy.ask(text);
  };

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
      {s.running ? (
        <Progress label={s.running.label} startedAt={s.running.startedAt} lastLine={s.running.lastLine} width={width} />
      ) : null}
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
          <TextInput value={input} onChange={(v) => (/[\r\n]/.test(v) ? submit(v.split(/[\r\n]/)[0] ?? '') : setInput(v))} onSubmit={() => submit(typed.current)} focus={inputFocus} showCursor={colorOn()} />
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
