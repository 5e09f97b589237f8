// Rollout events and wave questions for the fleet view's tests (no Nix, no host).
import type { RolloutEvent, WaveApprovalRequest } from '../../src/core/fleet/rollout.js';
import type { Wave } from '../../src/core/fleet/waves.js';
import type { DeployEvent } from '../../src/core/deploy/apply.js';
import type { Plan } from '../../src/core/plan/schema.js';
import { host, NEXT, plan, PROFILE, step } from './fixtures.js';

export const ID = '1a2b3c4d-0000-4000-8000-000000000000';
export const WAVES: Wave[] = [
  { index: 0, label: 'canary (fl-a)', hosts: ['fl-a'], canary: true },
  { index: 1, label: 'wave 2', hosts: ['fl-b', 'fl-c'], canary: false },
  { index: 2, label: 'wave 3', hosts: ['fl-d'], canary: false },
];
export const NAMES = ['fl-a', 'fl-b', 'fl-c', 'fl-d'];

export const planned = (host: string, status: 'ready' | 'no-change' | 'blocked' = 'ready'): RolloutEvent => {
  const p = plan();
  return { type: 'planned', host, plan: { ...p, status, host: { ...p.host, name: host } } as typeof p };
};
export const wave = (index: number, state: Extract<RolloutEvent, { type: 'wave' }>['state']): RolloutEvent => ({ type: 'wave', rollout: ID, wave: WAVES[index]!, waves: WAVES, state });
export const outcome = (host: string, w: number, o: Extract<RolloutEvent, { type: 'host' }>['outcome'], detail: string | null = null): RolloutEvent => ({
  type: 'host',
  rollout: ID,
  host,
  wave: w,
  outcome: o,
  detail,
});
export const deploy = (host: string, event: DeployEvent): RolloutEvent => ({ type: 'host-event', rollout: ID, event: { host, type: 'deploy', event } });
export const setProfile = step('apply-2', 'set-profile', 'mutate');
export const lock = step('apply-0', 'lock-host', 'mutate');
export const [gateway, readyz, channels] = plan().steps.validate as [ReturnType<typeof step>, ReturnType<typeof step>, ReturnType<typeof step>];
export const validation = (ok: boolean, attempt = 1): DeployEvent => ({
  type: 'validation',
  attempt,
  steps: [gateway, readyz, channels],
  results: [{ ok: true, summary: 'gateway answers RPC' }, ok ? { ok: true, summary: 'GET /readyz: 200' } : { ok: false, summary: 'GET /readyz: 503' }, { ok: true, summary: 'every channel works' }],
});

/** Everything reached and planned, the canary asked. */
export const START: RolloutEvent[] = [...NAMES.map((host) => ({ type: 'reachable', host, ok: true }) as RolloutEvent), ...NAMES.map((n) => planned(n)), wave(0, 'asking')];
/** The canary approved and validated; wave 2 approved and running. */
export const WAVE_1: RolloutEvent[] = [
  ...START,
  wave(0, 'running'),
  outcome('fl-a', 0, 'running'),
  outcome('fl-a', 0, 'succeeded'),
  wave(0, 'passed'),
  wave(1, 'asking'),
  wave(1, 'running'),
  outcome('fl-b', 1, 'running'),
  outcome('fl-c', 1, 'running'),
];

/** A host's plan whose apply steps are real commands (the question shows them whole). */
export function hostPlan(name: string, environment: 'staging' | 'production' = 'staging'): Plan {
  const p = plan();
  const apply = [
    step('apply-1', 'build', 'read', ['nix', 'build', '--no-link', '--print-out-paths', '/tmp/flake#homeConfigurations.fleet.activationPackage']),
    step('apply-2', 'set-profile', 'mutate', ['nix-env', '--profile', PROFILE, '--set', NEXT]),
    step('apply-3', 'activate', 'mutate', [`${PROFILE}/activate`]),
  ];
  return { ...p, host: { ...p.host, name, environment }, steps: { ...p.steps, apply } };
}

/** The question for a wave of these hosts (names ending in -prod are production). */
export function waveRequest(index: number, names: string[], waves = 3): WaveApprovalRequest {
  return {
    rollout: ID,
    wave: { index, label: index === 0 ? `canary (${names.join(', ')})` : `wave ${index + 1}`, hosts: names, canary: index === 0 },
    waves,
    hosts: names.map((name) => {
      const environment = name.endsWith('-prod') ? 'production' : 'staging';
      return { host: { ...host(environment), name }, plan: hostPlan(name, environment) };
    }),
  };
}
