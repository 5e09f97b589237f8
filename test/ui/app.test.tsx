// The whole screen over a store: it fits 80x24, NO_COLOR means no escape codes at all, the
// input drives /apply, and Ctrl-C during a deploy asks, then declines the open step.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UiContext } from '../../src/ui/session/context.js';
import type { DeploySession } from '../../src/ui/session/deploy.js';
import type { UiState } from '../../src/ui/session/state.js';
import { plan, press, request, until } from './fixtures.js';

// Colour is on here so that "no escape codes" under NO_COLOR means something. chalk reads
// FORCE_COLOR once, when it is first imported: set it before ink is loaded.
process.env['FORCE_COLOR'] = '1';
let render: typeof import('ink-testing-library').render;
let cleanup: typeof import('ink-testing-library').cleanup;
let App: typeof import('../../src/ui/App.js').App;
let Store: typeof import('../../src/ui/session/store.js').Store;
let rowOf: typeof import('../../src/ui/session/events.js').rowOf;
let inkApprover: typeof import('../../src/ui/session/approver.js').inkApprover;
beforeAll(async () => {
  ({ render, cleanup } = await import('ink-testing-library'));
  ({ App } = await import('../../src/ui/App.js'));
  ({ Store } = await import('../../src/ui/session/store.js'));
  ({ rowOf } = await import('../../src/ui/session/events.js'));
  ({ inkApprover } = await import('../../src/ui/session/approver.js'));
});
afterEach(() => {
  cleanup();
  delete process.env['NO_COLOR'];
});

function screen(state: Partial<UiState>) {
  const p = state.plan ?? plan({ blocked: true });
  const steps = [...p.steps.apply.map((x) => rowOf(x, 'apply')), ...p.steps.validate.map((x) => rowOf(x, 'validate'))];
  const store = new Store({ mode: 'plan', host: 'staging', plan: p, steps, ...state });
  const deploy = { apply: vi.fn(async () => undefined), ask: vi.fn(async () => undefined), explainStep: vi.fn(async () => undefined), open: vi.fn(), cancelAsk: () => false };
  const ctx = { store } as unknown as UiContext;
  const r = render(<App ctx={ctx} deploy={deploy as unknown as DeploySession} size={{ columns: 80, rows: 24 }} />);
  return { ...r, store, deploy };
}

const ESC = '\u001b[';
// eslint-disable-next-line no-control-regex
const plainOf = (f: string | undefined) => (f ?? '').replace(/\u001b\[[0-9;]*m/g, '');

describe('the session screen', () => {
  it('fits 80x24 with the plan, a blocking finding and the input', () => {
    const { lastFrame } = screen({});
    const lines = lastFrame()!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    // eslint-disable-next-line no-control-regex
    for (const l of lines) expect(l.replace(/\u001b\[[0-9;]*m/g, '').length).toBeLessThanOrEqual(80);
    expect(plainOf(lastFrame())).toMatch(/BLOCK/);
    expect(plainOf(lastFrame())).toMatch(/type a question, or \/apply/);
  });

  it('is coloured by default, and has no escape code at all under NO_COLOR', () => {
    const coloured = screen({ panel: 'diff' });
    expect(coloured.lastFrame()).toContain(ESC);
    coloured.unmount();
    process.env['NO_COLOR'] = '1';
    const plain = screen({ panel: 'diff' });
    expect(plain.lastFrame()).not.toContain('\u001b');
    expect(plain.lastFrame()).toMatch(/\+ {2}inputs\.x\.url = "v2026\.6\.11";/);
  });

  it('/apply in the input starts the deploy; other text is a question', async () => {
    const { stdin, deploy, lastFrame } = screen({ plan: plan() });
    await press(stdin, '/apply');
    await until(() => expect(plainOf(lastFrame())).toMatch(/^> \/apply/m));
    await press(stdin, '\r');
    await until(() => expect(deploy.apply).toHaveBeenCalledWith(false));
    await press(stdin, 'why restart?\r');
    await until(() => expect(deploy.ask).toHaveBeenCalledWith('why restart?'));
  });

  it('a confirmation in the app: y approves the step through the ink approver', async () => {
    const { stdin, store, lastFrame } = screen({ plan: plan(), mode: 'applying', panel: 'steps' });
    const approval = inkApprover(store, 'tester')(request());
    await until(() => expect(plainOf(lastFrame())).toMatch(/awaiting your approval/));
    await press(stdin, 'y');
    await expect(approval).resolves.toEqual({ approved: true, approver: 'tester' });
  });

  it('a key read as soon as a question is drawn answers it: no subscription is still to come', async () => {
    const { stdin, store, lastFrame } = screen({ plan: plan(), mode: 'applying', panel: 'steps' });
    const approval = inkApprover(store, 'tester')(request());
    // React draws it in a microtask: wait no longer than that (no timer, no I/O in between).
    for (let i = 0; i < 100 && !/run it\?/.test(plainOf(lastFrame())); i++) await Promise.resolve();
    expect(plainOf(lastFrame())).toMatch(/run it\?/);
    stdin.write('y');
    expect(store.get().confirm).toBeNull();
    await expect(approval).resolves.toEqual({ approved: true, approver: 'tester' });
  });

  it('Ctrl-C during a deploy asks; "stop" declines the open step and every next one', async () => {
    const { stdin, store, lastFrame } = screen({ plan: plan(), mode: 'applying', panel: 'steps' });
    const approver = inkApprover(store, 'tester');
    const first = approver(request());
    await until(() => expect(plainOf(lastFrame())).toMatch(/run it\?/));
    await press(stdin, '\u0003');
    await until(() => expect(plainOf(lastFrame())).toMatch(/s stop after the current step\s+r roll back\s+c continue/));
    await press(stdin, 's');
    await expect(first).resolves.toMatchObject({ approved: false });
    await expect(approver(request())).resolves.toMatchObject({ approved: false, approver: 'tester (Ctrl-C: stop)' });
    await until(() => expect(plainOf(lastFrame())).toMatch(/Ctrl-C: stopping after the current step/));
  });

  it('the host picker: Down and Enter in one read open the second host', () => {
    const hosts = ['a', 'b', 'c'].map((name) => ({ name, environment: 'staging', target: 'local', generation: '1', health: 'up', drift: 'none' }));
    const oneRead = screen({ mode: 'picker', hosts });
    oneRead.stdin.write(`${ESC}B\r`);
    expect(oneRead.deploy.open.mock.calls).toEqual([['b']]);
    oneRead.unmount();
    // A key per read, all before anything is drawn: each moves from where the previous one left.
    const keyByKey = screen({ mode: 'picker', hosts });
    for (const k of [`${ESC}B`, `${ESC}B`, `${ESC}A`, '\r']) keyByKey.stdin.write(k);
    expect(keyByKey.deploy.open.mock.calls).toEqual([['b']]);
  });

  it('a question typed faster than the screen redraws arrives whole; Ctrl keys never type into it', async () => {
    const { stdin, deploy, store, lastFrame } = screen({ plan: plan() });
    for (const k of 'why?') stdin.write(k);
    await press(stdin, '\u000f');
    expect(store.get().panel).toBe('output');
    await press(stdin, '\t\u0005\u0001');
    await until(() => expect(plainOf(lastFrame())).toMatch(/^> why\? ?$/m));
    await press(stdin, '\r');
    expect(deploy.ask.mock.calls).toEqual([['why?']]);
  });

  it('keys of the read that brings a question back do not answer it; the next read does', async () => {
    const { stdin, store, lastFrame } = screen({ plan: plan(), mode: 'applying' });
    const pending = inkApprover(store, 'tester')(request());
    // "c" continues and shows the question again: a "y" read with it was typed before it was
    // shown. In one chunk, or in two chunks of the same read.
    for (const chunks of [['cy'], ['c', 'y']]) {
      await until(() => expect(plainOf(lastFrame())).toMatch(/run it\?/));
      await press(stdin, '\u0003');
      await until(() => expect(plainOf(lastFrame())).toMatch(/c continue/));
      for (const c of chunks) stdin.write(c);
      await until(() => expect(plainOf(lastFrame())).toMatch(/run it\?/));
      expect(store.get().confirm).not.toBeNull();
    }
    await press(stdin, 'y');
    await expect(pending).resolves.toEqual({ approved: true, approver: 'tester' });
  });

  it('Ctrl-C then "continue" resumes: the step is still asked', async () => {
    const { stdin, store, lastFrame } = screen({ plan: plan(), mode: 'applying' });
    const pending = inkApprover(store, 'tester')(request());
    await until(() => expect(plainOf(lastFrame())).toMatch(/run it\?/));
    await press(stdin, '\u0003');
    await press(stdin, 'c');
    await until(() => expect(plainOf(lastFrame())).toMatch(/run it\?/));
    await press(stdin, 'n');
    await expect(pending).resolves.toMatchObject({ approved: false, approver: 'tester' });
  });
});
