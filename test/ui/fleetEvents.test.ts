// A rollout's events folded into the fleet view's state, one table row per story: each row is
// a sequence of events and what the view must say after them.
import { describe, expect, it } from 'vitest';
import { reduceFleet } from '../../src/ui/session/fleetEvents.js';
import { initialFleet, type FleetHostState, type FleetState, type FleetWaveState } from '../../src/ui/session/fleetState.js';
import type { RolloutEvent } from '../../src/core/fleet/rollout.js';
import { step } from './fixtures.js';
import { deploy, ID, lock, outcome, planned, setProfile, START, validation, wave, WAVE_1 } from './fleetFixtures.js';

interface Row {
  story: string;
  events: RolloutEvent[];
  hosts?: Partial<Record<string, FleetHostState>>;
  waves?: FleetWaveState[];
  current?: number | null;
  stage?: FleetState['stage'];
  check?: (s: FleetState) => void;
}

const host = (s: FleetState, name: string) => s.hosts.find((h) => h.name === name)!;

const ROWS: Row[] = [
  {
    story: 'hosts are heard of as they are reached; an unreachable one is skipped with its reason',
    events: [
      { type: 'reachable', host: 'fl-a', ok: true },
      { type: 'reachable', host: 'fl-d', ok: false, reason: 'fl-d: ssh: connect to host 10.0.0.4 port 22: No route to host' },
    ],
    hosts: { 'fl-a': 'pending', 'fl-d': 'skipped' },
    stage: 'reaching',
    check: (s) => expect(host(s, 'fl-d').detail).toMatch(/No route to host/),
  },
  {
    story: 'a plan gives the environment and the generations; already current is no-change, a blocked plan blocked',
    events: [planned('fl-a'), planned('fl-b', 'no-change'), planned('fl-c', 'blocked')],
    hosts: { 'fl-a': 'pending', 'fl-b': 'no-change', 'fl-c': 'blocked' },
    stage: 'planning',
    check: (s) => expect(host(s, 'fl-a')).toMatchObject({ environment: 'staging', from: 1, to: 2 }),
  },
  {
    story: 'the first question cuts every wave: hosts grouped, the canary current and asking',
    events: START,
    waves: ['asking', 'pending', 'pending'],
    current: 0,
    stage: 'waves',
    check: (s) => {
      expect(s.rollout).toBe(ID);
      expect(s.waves.map((w) => w.hosts)).toEqual([['fl-a'], ['fl-b', 'fl-c'], ['fl-d']]);
    },
  },
  {
    story: 'a running host shows its step (bookkeeping steps are not shown), and its phase between steps',
    events: [
      ...WAVE_1,
      deploy('fl-b', { type: 'phase', phase: 'apply', message: 'applying' }),
      deploy('fl-b', { type: 'step-start', step: lock, command: 'ln -s …' }),
      deploy('fl-b', { type: 'step-start', step: setProfile, command: 'nix-env …' }),
      deploy('fl-b', { type: 'output', step: setProfile, line: 'switching' }),
      deploy('fl-c', { type: 'phase', phase: 'validate', message: 'validating' }),
    ],
    hosts: { 'fl-a': 'succeeded', 'fl-b': 'running', 'fl-c': 'running', 'fl-d': 'pending' },
    waves: ['passed', 'running', 'pending'],
    current: 1,
    check: (s) => {
      expect(host(s, 'fl-b')).toMatchObject({ phase: 'applying', step: 'set-profile' });
      expect(host(s, 'fl-c')).toMatchObject({ phase: 'validating', step: null });
    },
  },
  {
    story: 'health is the last validation: the first failing check with its attempt, then all ok',
    events: [...WAVE_1, deploy('fl-b', validation(false, 2))],
    check: (s) => expect(host(s, 'fl-b').health).toEqual({ ok: false, short: 'FAIL http /readyz', text: 'http /readyz: GET /readyz: 503 (attempt 2)' }),
  },
  {
    story: 'all checks ok',
    events: [...WAVE_1, deploy('fl-b', validation(false, 1)), deploy('fl-b', validation(true, 2))],
    check: (s) => expect(host(s, 'fl-b').health).toEqual({ ok: true, short: 'ok: 3 checks', text: 'ok: 3 checks' }),
  },
  {
    story: "a host's own rollback shows as its phase; its outcome settles it with the reason",
    events: [
      ...WAVE_1,
      deploy('fl-c', { type: 'phase', phase: 'rollback', message: 'rolling back: http-check' }),
      deploy('fl-c', { type: 'step-start', step: step('rollback-1', 'switch-generation', 'destructive'), command: 'nix-env …' }),
    ],
    hosts: { 'fl-c': 'running' },
    check: (s) => expect(host(s, 'fl-c')).toMatchObject({ phase: 'rolling back', step: 'switch-generation' }),
  },
  {
    story: "a failed wave's rollback as it happens: the host that succeeded is rolling back, then reverted; later waves never start",
    events: [
      ...WAVE_1,
      outcome('fl-b', 1, 'succeeded', 'deployed fl-b: generation 2 is healthy'),
      outcome('fl-c', 1, 'rolled-back', 'validation failed: http /readyz: GET /readyz: 503; rolled back to generation 1'),
      wave(1, 'failed'),
      wave(1, 'rolling-back'),
      deploy('fl-b', { type: 'step-start', step: step('rollback-1', 'switch-generation', 'destructive'), command: 'nix-env …' }),
    ],
    hosts: { 'fl-a': 'succeeded', 'fl-b': 'rolling-back', 'fl-c': 'rolled-back', 'fl-d': 'pending' },
    waves: ['passed', 'rolling-back', 'pending'],
    current: 1,
    check: (s) => {
      expect(host(s, 'fl-b').step).toBe('switch-generation');
      expect(host(s, 'fl-c').detail).toMatch(/rolled back to generation 1/);
    },
  },
  {
    story: 'then each host of the failed wave is reverted and the later ones not-started',
    events: [
      ...WAVE_1,
      outcome('fl-b', 1, 'succeeded'),
      outcome('fl-c', 1, 'failed', 'boom'),
      wave(1, 'failed'),
      wave(1, 'rolling-back'),
      outcome('fl-b', 1, 'reverted', 'rolled back: fl-c failed in wave 2'),
      outcome('fl-d', 2, 'not-started'),
    ],
    hosts: { 'fl-a': 'succeeded', 'fl-b': 'reverted', 'fl-c': 'failed', 'fl-d': 'not-started' },
    check: (s) => expect(host(s, 'fl-b')).toMatchObject({ phase: null, step: null, detail: 'rolled back: fl-c failed in wave 2' }),
  },
  {
    story: 'a NixOS boot deploy is next-boot, with why; its failed wave takes it back like a switched host',
    events: [
      ...WAVE_1,
      outcome('fl-b', 1, 'applied-for-next-boot', 'fl-b: generation 2 is the boot default; nothing restarted, the gateway runs it after the next reboot'),
      outcome('fl-c', 1, 'failed', 'boom'),
      wave(1, 'failed'),
      wave(1, 'rolling-back'),
      deploy('fl-b', { type: 'step-start', step: step('rollback-1', 'switch-generation', 'destructive'), command: 'nix-env …' }),
    ],
    hosts: { 'fl-b': 'rolling-back', 'fl-c': 'failed' },
    check: (s) => expect(reduceFleet(initialFleet(), outcome('fl-b', 1, 'applied-for-next-boot', 'boot default')).hosts[0]).toMatchObject({ state: 'next-boot', detail: 'boot default' }),
  },
  {
    story: 'a declined wave: its hosts and every later wave’s are not-started',
    events: [...START, wave(0, 'running'), outcome('fl-a', 0, 'succeeded'), wave(0, 'passed'), wave(1, 'asking'), wave(1, 'declined')],
    hosts: { 'fl-a': 'succeeded', 'fl-b': 'not-started', 'fl-c': 'not-started', 'fl-d': 'not-started' },
    waves: ['passed', 'declined', 'pending'],
  },
  {
    story: 'a notice while a host runs is its detail; a new run of the host clears its health and detail',
    events: [...WAVE_1, { type: 'host-event', rollout: ID, event: { host: 'fl-b', type: 'notice', text: 'waiting for the watchdog', tone: 'warn' } }, deploy('fl-c', validation(false))],
    check: (s) => {
      expect(host(s, 'fl-b').detail).toBe('waiting for the watchdog');
      const again = reduceFleet(s, outcome('fl-c', 1, 'running'));
      expect(host(again, 'fl-c')).toMatchObject({ health: null, detail: null });
    },
  },
];

describe('the fleet reducer', () => {
  it.each(ROWS)('$story', (row) => {
    const s = row.events.reduce((acc, e) => reduceFleet(acc, e), initialFleet({ selector: '@edge' }));
    if (row.hosts) for (const [name, state] of Object.entries(row.hosts)) expect({ name, state: host(s, name).state }).toEqual({ name, state });
    if (row.waves) expect(s.waves.map((w) => w.state)).toEqual(row.waves);
    if (row.current !== undefined) expect(s.current).toBe(row.current);
    if (row.stage) expect(s.stage).toBe(row.stage);
    row.check?.(s);
  });

  it('is pure: the state before an event is left as it was; an output line changes nothing', () => {
    const before = START.reduce((acc, e) => reduceFleet(acc, e), initialFleet());
    const copy = structuredClone({ ...before, ask: null });
    const after = reduceFleet(before, outcome('fl-a', 0, 'running'));
    expect(after).not.toBe(before);
    expect({ ...before, ask: null }).toEqual(copy);
    expect(reduceFleet(after, deploy('fl-a', { type: 'output', step: setProfile, line: 'x' }))).toBe(after);
  });

  it('redacts what hosts say', () => {
    const s = reduceFleet(initialFleet(), { type: 'reachable', host: 'fl-a', ok: false, reason: 'token sk-secret refused' }, (t) => t.replace('sk-secret', '[REDACTED]'));
    expect(s.hosts[0]!.detail).toBe('token [REDACTED] refused');
  });
});
