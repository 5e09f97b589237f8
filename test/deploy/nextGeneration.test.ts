// The generation number a plan predicts is the one nix-env makes: one above the highest, except
// when the highest already holds the store path being set (nix-env then switches to it and makes
// none). Checked against real nix-env on scratch profiles, and through plan and apply on a real
// local host rolled back and deployed again.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NIX_ENV, tempDir } from '../helpers/fixtures.js';
import { useLocalHosts } from '../helpers/localHost.js';
import { nextGenerationNumber, type NewestGeneration } from '../../src/core/plan/nextGeneration.js';
import { parseGenerations } from '../../src/core/preflight/generations.js';
import { applyPlan } from '../../src/core/deploy/apply.js';
import { rollbackHost } from '../../src/core/deploy/rollback.js';
import { deployOpened } from '../../src/core/deploy/service.js';
import { gateFactsFor } from '../../src/core/deploy/recordsLedger.js';
import { loadHost } from '../../src/core/inventory/load.js';
import { analyse, asOperator, currentGeneration, inProcess } from './localDeploy.js';

const { make } = useLocalHosts();

const nixEnv = async (profile: string, ...args: string[]) => (await execa('nix-env', ['--profile', profile, ...args], { env: NIX_ENV })).stdout;

/** The profile's highest generation and its link's target, read as preflight reads them. */
async function newest(profile: string): Promise<NewestGeneration | null> {
  const gens = parseGenerations(await nixEnv(profile, '--list-generations').catch(() => ''));
  const top = gens.reduce<(typeof gens)[number] | null>((a, g) => (a && a.number > g.number ? a : g), null);
  if (!top) return null;
  return { number: top.number, storePath: (await execa('readlink', ['--', `${profile}-${top.number}-link`])).stdout.trim() };
}

async function storePaths(n: number): Promise<string[]> {
  const dir = tempDir('paths');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = join(dir, `gen-${i}-${Date.now()}`);
    writeFileSync(f, `generation content ${i} ${f}\n`);
    out.push((await execa('nix-store', ['--add', f], { env: NIX_ENV })).stdout.trim());
  }
  return out;
}

describe('the predicted generation number, against real nix-env', () => {
  it('matches what `nix-env --set` makes, after rollbacks and with a store path set again', async () => {
    const profile = join(tempDir('profile'), 'p');
    const [a, b, c] = (await storePaths(3)) as [string, string, string];
    // [switch to this generation first (a rollback), then set this path]; what nix-env must make.
    const moves: Array<[number | null, string, number]> = [
      [null, a, 1],
      [null, b, 2],
      // Back to 1, then b again: the highest (2) holds b, so nix-env switches to 2.
      [1, b, 2],
      // Back to 1, then c: a new generation above the highest.
      [1, c, 3],
      // Back to 2 (b), then c again: 3 holds c, reused although the current one is 2.
      [2, c, 3],
      // Back to 1 (a), then b: the highest (3) holds c, not b, so a new one (an older one holding b does not count).
      [1, b, 4],
    ];
    for (const [back, path, made] of moves) {
      if (back !== null) await nixEnv(profile, '--switch-generation', String(back));
      const predicted = nextGenerationNumber(await newest(profile), path);
      await nixEnv(profile, '--set', path);
      const current = parseGenerations(await nixEnv(profile, '--list-generations')).find((g) => g.current)?.number;
      expect({ path, current }).toEqual({ path, current: made });
      expect({ path, predicted }).toEqual({ path, predicted: made });
    }
  });
});

describe('plan and apply after a rollback, deploying the same build again', () => {
  it('predicts, asks for and records the generation nix-env reuses (2), not a new number (3)', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const run = inProcess(h);
    try {
      const first = await asOperator(h, () => analyse(h));
      expect(first.plan.generations.next?.number).toBe(2);
      expect((await asOperator(h, () => applyPlan({ plan: first.plan, host: first.host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps))).outcome).toBe('succeeded');
      const staging = await loadHost(h.flake.dir, 'staging');
      const back = await asOperator(h, () => rollbackHost({ host: staging, flakeDir: h.flake.dir, to: 1, lastKnownGood: null }, run.deps));
      expect(back.outcome, back.message).toBe('succeeded');
      expect(await currentGeneration(h.profile)).toBe(1);

      // The highest generation (2) holds the very build planned again.
      const { plan, host } = await asOperator(h, () => analyse(h));
      expect(plan.status).toBe('ready');
      expect(plan.generations.next).toEqual({ storePath: first.plan.generations.next!.storePath, number: 2 });
      expect(plan.steps.apply.find((s) => s.action === 'set-profile')?.reason).toBe(`make it generation 2 of ${h.profile}`);
      expect(plan.summary.join('\n')).toContain('Applying makes the new build generation 2 of');
      const asked = run.asked.length;
      const r = await asOperator(h, () => applyPlan({ plan, host: host!, flakeDir: h.flake.dir, approvedBy: 'tester' }, run.deps));
      expect(r.outcome, r.message).toBe('succeeded');
      expect(run.asked.slice(asked).find((q) => q.step.action === 'set-profile')?.step.reason).toMatch(/^make it generation 2 of /);
      expect(r.message).toBe('deployed staging: generation 2 is healthy');
      expect(r.generationAfter).toEqual({ number: 2, storePath: first.plan.generations.next!.storePath });
      expect(parseGenerations(await nixEnv(h.profile, '--list-generations')).map((g) => [g.number, g.current])).toEqual([
        [1, false],
        [2, true],
      ]);
      const record = JSON.parse(readFileSync(`${h.profile}.clawdeploy/last-deploy.json`, 'utf8')) as { generation: { number: number } };
      expect(record.generation.number).toBe(2);
      expect(run.records.history('staging', 1)[0]).toMatchObject({ operation: 'apply', outcome: 'succeeded', generationAfter: { number: 2 } });
    } finally {
      run.close();
    }
  });

  it('the deploy outcome carries the generation nix-env made, read back from the host, when the plan predicted another', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const run = inProcess(h);
    try {
      const { plan, host } = await asOperator(h, () => analyse(h));
      const next = plan.generations.next!;
      expect(next.number).toBe(2);
      // A prediction the host does not follow (as when its generations changed after it was read).
      const predicted = { ...plan, generations: { ...plan.generations, next: { ...next, number: 7 } } };
      const r = await asOperator(h, () =>
        deployOpened({ plan: predicted, host, interrupted: null }, { flakeDir: h.flake.dir, approvedBy: 'tester' }, { records: run.records, deploy: run.deps, gates: gateFactsFor(run.records) }),
      );
      expect(r.outcome, r.message).toBe('succeeded');
      expect(r.generationAfter).toEqual({ number: 2, storePath: next.storePath });
      expect(r.message).toBe('deployed staging: generation 2 is healthy');
      expect(await currentGeneration(h.profile)).toBe(2);
      expect(run.records.history('staging', 1)[0]).toMatchObject({ outcome: 'succeeded', generationAfter: { number: 2, storePath: next.storePath } });
    } finally {
      run.close();
    }
  });
});
