// A runbook edited after review, with its hash recomputed, is still refused, and the refusal
// names the edit: by the plan invariants (verifyRunbook) and by a fresh plan (staleness).
import { describe, expect, it } from 'vitest';
import { staleness, verifyRunbook } from '../../src/core/deploy/runbookCheck.js';
import type { RunbookJson } from '../../src/core/plan/runbook.js';
import { planHash } from '../../src/core/plan/hash.js';
import { CURRENT_STORE_PATH, NEXT_STORE_PATH, TAMPERINGS, planHost, tampered, testPlan } from '../helpers/runbook.js';

const runbook = (plan = testPlan()): RunbookJson => ({ kind: 'clawdeploy-runbook', version: 1, flakeDir: '/src/flake', plan });

describe('a runbook is held to the plan invariants and to a fresh plan', () => {
  it('an untampered runbook is valid and is the fresh plan', () => {
    expect(verifyRunbook(runbook(), planHost)).toEqual([]);
    expect(staleness(testPlan(), testPlan())).toEqual([]);
  });

  it.each(TAMPERINGS)('$what, with the hash recomputed: refused, naming the difference', ({ edit, names }) => {
    const plan = testPlan();
    const edited = tampered(plan, (s) => edit(s, plan));
    expect(edited.hash).toBe(planHash(edited as unknown as Record<string, unknown>));
    const problems = [...verifyRunbook(runbook(edited), planHost), ...staleness(edited, testPlan())];
    for (const name of names) expect(problems.join('\n')).toMatch(name);
    // Not "stale": the host and the flake did not move.
    expect(problems.join('\n')).not.toMatch(/stale/);
  });

  it('names the store path of the runbook and the planned one', () => {
    const edited = tampered(testPlan(), (s) => {
      const set = s.apply.find((x) => x.action === 'set-profile')!;
      set.args['storePath'] = CURRENT_STORE_PATH;
      set.argv = [...set.argv.slice(0, -1), CURRENT_STORE_PATH];
    });
    expect(staleness(edited, testPlan())).toEqual([`apply step 3 (set-profile): store path ${CURRENT_STORE_PATH} in the runbook, ${NEXT_STORE_PATH} planned`]);
  });

  it('holds the rollback to the current generation by number and by store path', () => {
    const edited = tampered(testPlan(), (s) => {
      s.rollback[0]!.args['storePath'] = NEXT_STORE_PATH;
    });
    expect(verifyRunbook(runbook(edited), planHost)).toContain(`rollback must switch back to generation 4 (${CURRENT_STORE_PATH}), once`);
    expect(staleness(edited, testPlan())).toEqual([`rollback step 1 (switch-generation): store path ${NEXT_STORE_PATH} in the runbook, ${CURRENT_STORE_PATH} planned`]);
  });

  it('refuses validation that checks another port than the gateway’s', () => {
    const edited = tampered(testPlan(), (s) => {
      for (const v of s.validate) if ('port' in v.args) v.args['port'] = 18790;
    });
    const problems = verifyRunbook(runbook(edited), planHost);
    expect(problems).toEqual(expect.arrayContaining(['validation must check the gateway on its port 18789', "validation must probe the channels on the gateway's port 18789"]));
  });

  it('when the host moved, says what moved rather than every step that follows from it', () => {
    const moved = testPlan({ current: { number: 5, storePath: CURRENT_STORE_PATH } });
    const diff = staleness(testPlan(), moved);
    expect(diff).toEqual([`stale: the host now runs generation 5 (${CURRENT_STORE_PATH}), the runbook expected generation 4 (${CURRENT_STORE_PATH})`]);
  });

  it('names a finding that appeared since the runbook, and the status it brings', () => {
    const now = testPlan({ findings: [{ code: 'secret-file-missing', severity: 'block', message: 'the telegram token file is missing' }] });
    expect(staleness(testPlan(), now)).toEqual(['the plan is ready in the runbook, blocked now', 'finding secret-file-missing (block) is new since the runbook: the telegram token file is missing']);
  });

  it('compares content, not the hash field: a forged hash equal to the fresh one is no match', () => {
    const edited = tampered(testPlan(), (s) => void s.validate.splice(0));
    const forged = { ...edited, hash: testPlan().hash };
    expect(staleness(forged, testPlan()).join('\n')).toMatch(/validate step channels-probe removed/);
    expect(verifyRunbook(runbook(forged), planHost)).toContain('its hash does not match its content (it was edited after review)');
  });
});
