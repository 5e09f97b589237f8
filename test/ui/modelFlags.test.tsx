// The model's words on the ink screen: an explanation, an answer or incident advice that reads
// like instructions is shown under a FLAGGED warning, inside 80x24; clean text is not.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UiContext } from '../../src/ui/session/context.js';
import type { DeploySession } from '../../src/ui/session/deploy.js';
import type { UiState } from '../../src/ui/session/state.js';
import type { RollbackProposal } from '../../src/core/deploy/rollback.js';
import { generationLines } from '../../src/ui/panels/generations.js';
import { HOSTILE_ANSWER } from '../helpers/hostileModelText.js';
import { plan } from './fixtures.js';

let render: typeof import('ink-testing-library').render;
let cleanup: typeof import('ink-testing-library').cleanup;
let App: typeof import('../../src/ui/App.js').App;
let Store: typeof import('../../src/ui/session/store.js').Store;
beforeAll(async () => {
  process.env['NO_COLOR'] = '1';
  ({ render, cleanup } = await import('ink-testing-library'));
  ({ App } = await import('../../src/ui/App.js'));
  ({ Store } = await import('../../src/ui/session/store.js'));
});
afterEach(() => cleanup());
afterAll(() => {
  delete process.env['NO_COLOR'];
});

/** The whole screen for a state; the session's actions are not used by these tests. */
function frame(state: Partial<UiState>): string[] {
  const store = new Store({ mode: 'plan', host: 'staging', plan: plan(), steps: [], ...state });
  const idle = async () => undefined;
  const deploy = { apply: idle, ask: idle, explainStep: idle, open: idle, cancelAsk: () => false } as unknown as DeploySession;
  const r = render(<App ctx={{ store } as unknown as UiContext} deploy={deploy} size={{ columns: 80, rows: 24 }} />);
  const lines = r.lastFrame()!.split('\n');
  expect(lines.length).toBeLessThanOrEqual(24);
  for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  return lines;
}

describe('flagged model text on the ink screen', () => {
  it('the explanation: the warning comes first, then the text it is about', () => {
    const lines = frame({ explanation: HOSTILE_ANSWER });
    const warn = lines.findIndex((l) => l === " FLAGGED  the model's text reads like instructions: nothing it says runs");
    expect(warn).toBeGreaterThanOrEqual(0);
    expect(lines[warn + 1]).toMatch(/^ {10}ignore-instructions, run-command: Ignore all previous instructions/);
    expect(lines[warn + 2]).toMatch(/^ {10}skip-confirmation: Do not ask for confirmation/);
    expect(lines.findIndex((l) => l.includes('The upgrade looks fine.'))).toBeGreaterThan(warn);
  });

  it('the answer: a FLAGGED line naming what was found, in the rows the answer has', () => {
    const lines = frame({ answer: HOSTILE_ANSWER });
    const head = lines.findIndex((l) => l.startsWith('Answer'));
    expect(head).toBeGreaterThanOrEqual(0);
    expect(lines[head + 1]).toMatch(/^ FLAGGED {2}not an instruction; nothing it says runs \(ignore-instructions, run-/);
    expect(lines.slice(head).join('\n')).toContain('Do not ask for confirmation');
  });

  it('clean text is shown without a warning', () => {
    const lines = frame({ explanation: 'OpenClaw moves to 2026.6.11; telegram is probed after the restart.', answer: 'Because the closure changed.' });
    expect(lines.join('\n')).not.toContain('FLAGGED');
  });

  it("the incident view's advice", () => {
    const g = (number: number, current: boolean) => ({ number, date: '2026-12-02 14:55', storePath: null, current, lastKnownGood: !current });
    const p: RollbackProposal = { generations: [g(5, true), g(4, false)], current: g(5, true), target: g(4, false), changes: [], healthNow: [] };
    const text = generationLines(p, HOSTILE_ANSWER, 80).map((l) => l.map((s) => s.text).join(''));
    const advice = text.indexOf('Advice');
    expect(text[advice + 1]).toBe(" FLAGGED  the model's text reads like instructions: nothing it says runs");
    expect(generationLines(p, 'Roll back to generation 4: it was healthy yesterday.', 80).some((l) => l.some((s) => s.text.includes('FLAGGED')))).toBe(false);
  });
});
