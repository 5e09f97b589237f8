// The fleet view, rendered with ink-testing-library: waves and hosts inside 80x24, no escape code
// under NO_COLOR, a failed wave's rollback, and a wave's question answered in the view (y runs
// it, any other key stops, production needs the host names typed, Ctrl-C stops between waves).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RolloutEvent } from '../../src/core/fleet/rollout.js';
import type { FleetState } from '../../src/ui/session/fleetState.js';
import { deploy, ID, outcome, START, validation, wave, WAVE_1, waveRequest } from './fleetFixtures.js';
import { press, step, until } from './fixtures.js';

// Colour is on here so that "no escape codes" under NO_COLOR means something. chalk reads
// FORCE_COLOR once, when it is first imported: set it before ink is loaded.
process.env['FORCE_COLOR'] = '1';
let render: typeof import('ink-testing-library').render;
let cleanup: typeof import('ink-testing-library').cleanup;
let FleetPanel: typeof import('../../src/ui/components/FleetPanel.js').FleetPanel;
let FleetStore: typeof import('../../src/ui/session/fleetStore.js').FleetStore;
let reduceFleet: typeof import('../../src/ui/session/fleetEvents.js').reduceFleet;
let inkWaveApprover: typeof import('../../src/ui/session/waveApprover.js').inkWaveApprover;
beforeAll(async () => {
  ({ render, cleanup } = await import('ink-testing-library'));
  ({ FleetPanel } = await import('../../src/ui/components/FleetPanel.js'));
  ({ FleetStore } = await import('../../src/ui/session/fleetStore.js'));
  ({ reduceFleet } = await import('../../src/ui/session/fleetEvents.js'));
  ({ inkWaveApprover } = await import('../../src/ui/session/waveApprover.js'));
});
afterEach(() => {
  cleanup();
  delete process.env['NO_COLOR'];
});

// eslint-disable-next-line no-control-regex
const plainOf = (f: string | undefined) => (f ?? '').replace(/\u001b\[[0-9;]*m/g, '');

function view(events: RolloutEvent[], o: Partial<FleetState> = {}) {
  const store = new FleetStore({ selector: '@edge', ...o });
  for (const e of events) store.set((s) => reduceFleet(s, e));
  const r = render(<FleetPanel store={store} size={{ columns: 80, rows: 24 }} />);
  const approver = inkWaveApprover(store, { yes: false, redact: (t) => t, user: 'tester' });
  return { ...r, store, approver, frame: () => plainOf(r.lastFrame()) };
}

function fits(frame: string | undefined) {
  const lines = (frame ?? '').split('\n');
  expect(lines.length).toBeLessThanOrEqual(24);
  for (const l of lines) expect(plainOf(l).length).toBeLessThanOrEqual(80);
}

const ROLLING_BACK: RolloutEvent[] = [
  ...WAVE_1,
  deploy('fl-b', validation(true)),
  outcome('fl-b', 1, 'succeeded', 'deployed fl-b: generation 2 is healthy'),
  deploy('fl-c', validation(false, 3)),
  outcome('fl-c', 1, 'rolled-back', 'validation failed: http /readyz: GET /readyz: 503; rolled back to generation 1, which is healthy'),
  wave(1, 'failed'),
  wave(1, 'rolling-back'),
  deploy('fl-b', { type: 'step-start', step: step('rollback-1', 'switch-generation', 'destructive'), command: 'nix-env …' }),
];

describe('FleetPanel', () => {
  it('fits 80x24 mid-rollout: hosts grouped by wave, the current wave marked, each host with its step and health', () => {
    const { lastFrame, frame } = view([
      ...WAVE_1,
      deploy('fl-a', validation(true)),
      deploy('fl-b', { type: 'phase', phase: 'apply', message: 'applying' }),
      deploy('fl-b', { type: 'step-start', step: step('apply-2', 'set-profile', 'mutate'), command: 'nix-env …' }),
      deploy('fl-c', { type: 'phase', phase: 'validate', message: 'validating' }),
      deploy('fl-c', validation(false, 2)),
    ]);
    fits(lastFrame());
    const f = frame();
    expect(f).toMatch(/^clawdeploy rollout 1a2b3c4d @edge\s+WAVE 2 OF 3\s+4 hosts/);
    expect(f).toMatch(/HOST\s+STATE\s+NOW\s+HEALTH/);
    expect(f).toMatch(/^ {2}canary \(fl-a\)\s+passed: every host validated/m);
    expect(f).toMatch(/^ {4}fl-a\s+succeeded\s+ok: 3 checks/m);
    expect(f).toMatch(/^▶ wave 2\s+running/m);
    expect(f).toMatch(/^ {4}fl-b\s+running\s+applying: set-profile\s+-/m);
    expect(f).toMatch(/^ {4}fl-c\s+running\s+validating\s+FAIL http \/readyz\n {6}http \/readyz: GET \/readyz: 503 \(attempt 2\)$/m);
    expect(f).toMatch(/^ {2}wave 3\s+pending\n {4}fl-d\s+pending/m);
    expect(f).toMatch(/wave 2: deploying fl-b, fl-c/);
    expect(f).toMatch(/Ctrl-C stop before the next wave/);
  });

  it('is coloured by default, and has no escape code at all under NO_COLOR', () => {
    const coloured = view(ROLLING_BACK);
    expect(coloured.lastFrame()).toContain('\u001b[');
    coloured.unmount();
    process.env['NO_COLOR'] = '1';
    const plain = view(ROLLING_BACK);
    expect(plain.lastFrame()).not.toContain('\u001b');
    expect(plain.lastFrame()).toMatch(/▶ wave 2\s+FAILED: rolling back the wave/);
  });

  it("a failed wave's rollback as it happens: the failed host's reason, the host being taken back and its step", () => {
    const { lastFrame, frame } = view(ROLLING_BACK);
    fits(lastFrame());
    const f = frame();
    expect(f).toMatch(/WAVE 2 OF 3: ROLLING BACK/);
    expect(f).toMatch(/^ {4}fl-b\s+rolling-back\s+switch-generation\s+ok: 3 checks/m);
    expect(f).toMatch(/^ {4}fl-c\s+rolled-back\s+FAIL http \/readyz$/m);
    expect(f).toMatch(/^ {6}validation failed: http \/readyz: GET \/readyz: 503; rolled back to\n {6}generation 1, which is healthy$/m);
    expect(f).not.toMatch(/deployed fl-b/);
    expect(f).toMatch(/wave 2 failed: rolling back/);
  });

  it('the end of a stopped rollout: reverted, not-started, the header says so; no spinner, no keys', async () => {
    const { frame, store } = view([...ROLLING_BACK, outcome('fl-b', 1, 'reverted', 'rolled back: fl-c failed in wave 2'), outcome('fl-d', 2, 'not-started')]);
    store.set({ stage: 'done' });
    await until(() => expect(frame()).toMatch(/ FAILED /));
    const f = frame();
    expect(f).toMatch(/^▶ wave 2\s+FAILED$/m);
    expect(f).toMatch(/fl-b\s+reverted[\s\S]*rolled back: fl-c failed in wave 2/);
    expect(f).toMatch(/fl-d\s+not-started/);
    expect(f).not.toMatch(/Ctrl-C/);
    // The last frame stays above the CLI's table: no padding rows.
    expect(f.split('\n').length).toBeLessThan(16);
  });

  it('a big fleet keeps the current wave in sight', () => {
    const names = Array.from({ length: 24 }, (_, i) => `h-${String(i).padStart(2, '0')}`);
    const waves = Array.from({ length: 12 }, (_, i) => ({ index: i, label: `wave ${i + 1}`, hosts: names.slice(i * 2, i * 2 + 2), canary: false }));
    const ev = (i: number, state: 'asking' | 'running' | 'passed'): RolloutEvent => ({ type: 'wave', rollout: ID, wave: waves[i]!, waves, state });
    const passed = waves.slice(0, 9).flatMap((w) => [ev(w.index, 'running'), ...w.hosts.map((h) => outcome(h, w.index, 'succeeded')), ev(w.index, 'passed')]);
    const { lastFrame, frame } = view([...passed, ev(9, 'running')]);
    fits(lastFrame());
    expect(frame()).toMatch(/^▶ wave 10\s+running\n {4}h-18\s+pending/m);
    expect(frame()).toMatch(/WAVE 10 OF 12/);
  });
});

describe('the wave question in the fleet view', () => {
  it('shows every host of the wave and its exact commands, whole; y runs the wave', async () => {
    const { frame, lastFrame, approver, store, stdin } = view(START);
    const answer = approver(waveRequest(0, ['fl-a']));
    await until(() => expect(frame()).toMatch(/run this wave\? y yes/));
    fits(lastFrame());
    const f = frame();
    expect(f).toMatch(/── canary \(fl-a\), wave 1 of 3, rollout 1a2b3c4d/);
    expect(f).toMatch(/fl-a \(staging, local\): generation 1 -> 2/);
    // Wrapped between words with a shell continuation, never cut: joined back it is the exact command.
    expect(f.replace(/ \\\n\s*/g, ' ')).toContain('$ nix-env --profile /tmp/profiles/staging --set /nix/store/z9nd7nyy8994as4r19hksh66rja119mp-home-manager-generation');
    expect(f).toMatch(/then 3 checks \(gateway, every channel\); on failure: back to generation 1/);
    expect(f).toMatch(/WAVE 1 OF 3: APPROVAL/);
    await press(stdin, 'y');
    await expect(answer).resolves.toEqual({ approved: true, approver: 'tester' });
    expect(store.get().ask).toBeNull();
  });

  it('the arrows read the commands and do not answer; any other key stops the rollout', async () => {
    const { frame, stdin, approver } = view(START);
    const names = ['fl-a', 'fl-b', 'fl-c', 'fl-d', 'fl-e'];
    const answer = approver(waveRequest(1, names));
    await until(() => expect(frame()).toMatch(/more lines \(PgDn/));
    const top = frame();
    await press(stdin, '\u001b[6~');
    await until(() => expect(frame()).not.toBe(top));
    await press(stdin, '\u001b[B');
    await press(stdin, '\u001b[A');
    expect(frame()).toMatch(/run this wave\?/);
    await press(stdin, 'x');
    await expect(answer).resolves.toEqual({ approved: false, approver: 'tester' });
  });

  it('keys typed before the question was drawn do not answer it', async () => {
    const { frame, stdin, approver } = view(START);
    const answer = approver(waveRequest(0, ['fl-a']));
    // In the same read as the question's arrival: typed before it was on screen.
    stdin.write('y');
    await until(() => expect(frame()).toMatch(/run this wave\?/));
    let settled = false;
    void answer.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await press(stdin, 'n');
    await expect(answer).resolves.toMatchObject({ approved: false });
  });

  it('production: y is not enough; the production host names typed, in any order, run the wave', async () => {
    const { frame, stdin, approver, lastFrame } = view(START);
    const answer = approver(waveRequest(1, ['eu-prod', 'fl-b', 'us-prod']));
    await until(() => expect(frame()).toMatch(/production: to run this wave, type eu-prod us-prod/));
    fits(lastFrame());
    await press(stdin, 'y\r');
    await until(() => expect(frame()).toMatch(/type them \(no match\):/));
    await press(stdin, 'us-prod eu-prod\r');
    await expect(answer).resolves.toEqual({ approved: true, approver: 'tester' });
  });

  it('production: Esc stops the rollout', async () => {
    const { frame, stdin, approver } = view(START);
    const answer = approver(waveRequest(1, ['eu-prod']));
    await until(() => expect(frame()).toMatch(/type them:/));
    await press(stdin, 'eu-\u001b');
    await expect(answer).resolves.toMatchObject({ approved: false });
  });

  it('--yes pre-approves a staging wave, never a production one', async () => {
    const { store, frame } = view(START);
    const yes = inkWaveApprover(store, { yes: true, redact: (t) => t, user: 'tester' });
    await expect(yes(waveRequest(0, ['fl-a']))).resolves.toEqual({ approved: true, approver: 'tester (--yes)' });
    expect(store.get().ask).toBeNull();
    void yes(waveRequest(1, ['eu-prod']));
    await until(() => expect(frame()).toMatch(/production: to run this wave, type eu-prod/));
  });

  it('Ctrl-C while a wave runs: the view says so, and the next wave is declined without a question', async () => {
    const { frame, stdin, approver, store } = view(WAVE_1);
    await press(stdin, '\u0003');
    await until(() => expect(frame()).toMatch(/Ctrl-C: the rollout stops before the next wave/));
    await expect(approver(waveRequest(2, ['fl-d']))).resolves.toEqual({ approved: false, approver: 'tester (Ctrl-C: stop)' });
    expect(store.get().ask).toBeNull();
  });

  it('commands are redacted before they are shown', async () => {
    const { frame, store } = view(START);
    const redacting = inkWaveApprover(store, { yes: false, redact: (t) => t.replace(/z9nd7nyy\w+/, '[REDACTED]'), user: 'tester' });
    void redacting(waveRequest(0, ['fl-a']));
    await until(() => expect(frame().replace(/ \\\n\s*/g, ' ')).toContain('--set /nix/store/[REDACTED]-home-manager-generation'));
  });
});
