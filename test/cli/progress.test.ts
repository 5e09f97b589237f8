// The plain progress lines: quick validation attempts do not flood the terminal.
import { describe, expect, it } from 'vitest';
import { progressPrinter } from '../../src/cli/progress.js';
import type { DeployEvent } from '../../src/core/deploy/apply.js';
import type { CheckResult } from '../../src/core/exec/types.js';
import type { Step } from '../../src/core/plan/schema.js';

const step = (action: string, risk: Step['risk']) => ({ id: action, action, args: {}, risk }) as unknown as Step;
const down: CheckResult[] = [
  { ok: false, summary: 'GET /healthz failed' },
  { ok: false, notRun: true, summary: 'not run: the gateway does not answer /healthz' },
];
const notReady: CheckResult[] = [
  { ok: true, summary: 'GET /healthz: 2xx' },
  { ok: false, summary: 'GET /readyz: 503' },
];
const up: CheckResult[] = [
  { ok: true, summary: 'GET /healthz: 2xx' },
  { ok: true, summary: 'GET /readyz: 2xx' },
];
const attempt = (n: number, results: CheckResult[]): DeployEvent => ({ type: 'validation', attempt: n, results, steps: [] });
const end = (s: Step, status: 'ok' | 'failed' | 'refused'): DeployEvent => ({
  type: 'step-end',
  step: s,
  outcome: { stepId: s.id, action: s.action, status, exitCode: status === 'ok' ? 0 : 1, durationMs: 1200, stdout: '', stderr: '', reason: status === 'ok' ? undefined : 'why' },
});

describe('progressPrinter', () => {
  it('prints an attempt only when what fails changes, and the pass; not-run checks are not failures', () => {
    const lines: string[] = [];
    const print = progressPrinter((l) => lines.push(l));
    for (const [i, r] of [down, down, down, notReady, notReady, up].entries()) print(attempt(i + 1, r));
    expect(lines).toEqual(['   validation attempt 1: 1 failing: GET /healthz failed', '   validation attempt 4: 1 failing: GET /readyz: 503', '   validation attempt 6: all checks pass']);
  });

  it('a failed read step is left to whoever reports it; a refused one and every mutating step are printed', () => {
    const lines: string[] = [];
    const print = progressPrinter((l) => lines.push(l));
    print(end(step('http-check', 'read'), 'failed'));
    print(end(step('gateway-status', 'read'), 'refused'));
    print({ type: 'step-start', step: step('activate', 'mutate'), command: '/profile/activate' });
    print(end(step('activate', 'mutate'), 'ok'));
    print(end(step('set-profile', 'mutate'), 'failed'));
    expect(lines).toEqual(['   REFUSED: gateway-status: why', '-> /profile/activate', '   ok (1.2 s)', '   FAILED: set-profile: why']);
  });
});
