// The deploy flow's events folded into step states and the health table.
import { describe, expect, it } from 'vitest';
import { reduceEvent, rowOf, settle } from '../../src/ui/session/events.js';
import { initialState, type UiState } from '../../src/ui/session/state.js';
import type { DeployEvent } from '../../src/core/deploy/apply.js';
import { plan } from './fixtures.js';

function fold(events: DeployEvent[]): UiState {
  const p = plan();
  let s = initialState({ mode: 'applying', plan: p, steps: [...p.steps.apply.map((x) => rowOf(x, 'apply')), ...p.steps.validate.map((x) => rowOf(x, 'validate'))] });
  for (const e of events) s = { ...s, ...reduceEvent(s, e, 1000) };
  return s;
}

describe('deploy events', () => {
  const p = plan();
  const [build, setProfile, activate] = p.steps.apply as [any, any, any];
  const ok = (step: any) => ({ type: 'step-end', step, outcome: { stepId: step.id, action: step.action, status: 'ok', exitCode: 0, durationMs: 1500, stdout: '', stderr: '' } }) as DeployEvent;

  it('moves steps from pending to running to done, with the last output line', () => {
    const s = fold([ok(build), { type: 'step-start', step: setProfile, command: 'nix-env …' }, { type: 'output', step: setProfile, line: 'switching profile' }]);
    expect(s.steps.map((r) => r.state)).toEqual(['done', 'running', 'pending', 'pending', 'pending', 'pending']);
    expect(s.running?.lastLine).toBe('switching profile');
    expect(s.output).toEqual(['set-profile: switching profile']);
  });

  it('a declined step is skipped, a failed one failed; the rest is skipped at the end', () => {
    const s = fold([
      ok(build),
      { type: 'step-end', step: setProfile, outcome: { stepId: 'apply-2', action: 'set-profile', status: 'failed', exitCode: 1, durationMs: 5, stdout: '', stderr: '', reason: 'exit 1' } },
      { type: 'step-end', step: activate, outcome: { stepId: 'apply-3', action: 'activate', status: 'declined', exitCode: null, durationMs: 0, stdout: '', stderr: '' } },
    ]);
    expect(s.steps.slice(0, 3).map((r) => r.state)).toEqual(['done', 'failed', 'skipped']);
    expect(settle(s.steps).every((r) => r.state !== 'pending')).toBe(true);
  });

  it('validation results name their checks; the rollback shows as a banner with its reason', () => {
    const s = fold([
      { type: 'phase', phase: 'validate', message: 'validating the gateway and every channel' },
      {
        type: 'validation',
        attempt: 2,
        steps: [p.steps.validate[0]!, p.steps.validate.find((x) => x.args['path'] === '/readyz')!, p.steps.validate.at(-1)!],
        results: [
          { ok: true, summary: 'gateway answers RPC' },
          { ok: false, summary: 'GET /readyz: 503' },
          { ok: true, summary: 'every channel works', items: [{ name: 'telegram', ok: true, detail: 'works' }] },
        ],
      },
      { type: 'phase', phase: 'rollback', message: 'rolling back: http-check: GET /readyz: 503' },
    ]);
    expect(s.health?.map((h) => h.check)).toEqual(['gateway-status', 'http /readyz', 'channels-probe']);
    expect(s.banners.at(-1)).toEqual({ text: 'rolling back: http-check: GET /readyz: 503', tone: 'bad' });
    expect(s.panel).toBe('steps');
  });
});
