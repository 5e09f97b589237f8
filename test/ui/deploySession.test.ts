// The ink session's deploy goes through the core's deploy service: an interrupted deploy is shown
// on opening, /apply is refused with the way out and changes nothing, /resume deploys. A real
// local host, the session's real context (records, audit log), every step approved.
import { describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { join } from 'node:path';
import { useLocalHosts } from '../helpers/localHost.js';
import { openContext } from '../../src/ui/session/context.js';
import { DeploySession } from '../../src/ui/session/deploy.js';
import { asOperator, currentGeneration } from '../deploy/localDeploy.js';
import { firstLine, nodeChild } from '../records/helpers.js';

const { make } = useLocalHosts();

describe('the ink session deploys through the deploy service', () => {
  it('an interrupted deploy: the banner says so, /apply is refused and changes nothing, /resume deploys', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    // A clawdeploy that started deploying this host and was killed (kill -9) mid-way.
    const child = nodeChild(
      `const r = R.openRecords(process.env.DB);
       console.log(r.startDeployment({ host: 'staging', environment: 'staging', target: 'local', kind: 'home-manager', operation: 'apply', flakeDir: '/f', flakeRev: null, dirty: false, lockHash: null, planHash: 'p', generationBefore: { number: 1, storePath: '/nix/store/x' }, approver: 'tester', startedAt: new Date().toISOString() }));
       setInterval(() => {}, 1000);`,
      { DB: join(h.stateDir, 'records.db') },
    );
    await firstLine(child);
    child.kill('SIGKILL');
    await once(child, 'exit');

    const env = { CLAWDEPLOY_STATE_DIR: process.env['CLAWDEPLOY_STATE_DIR'], ANTHROPIC_API_KEY: process.env['ANTHROPIC_API_KEY'], OPENAI_API_KEY: process.env['OPENAI_API_KEY'] };
    process.env['CLAWDEPLOY_STATE_DIR'] = h.stateDir;
    process.env['ANTHROPIC_API_KEY'] = '';
    process.env['OPENAI_API_KEY'] = '';
    const ctx = openContext({ flake: h.flake.dir });
    try {
      ctx.deps.deploy.approver = async () => ({ approved: true, approver: 'tester' });
      const session = new DeploySession(ctx);
      await asOperator(h, () => session.open('staging'));
      expect(ctx.store.get().mode).toBe('plan');
      expect(ctx.store.get().banners.map((b) => b.text)).toEqual([expect.stringMatching(/was interrupted; run `clawdeploy rollback staging` .* or \/resume to plan and deploy again$/)]);

      await asOperator(h, () => session.apply(false));
      expect(ctx.store.get()).toMatchObject({ mode: 'plan', exitCode: 2 });
      expect(ctx.store.get().banners).toHaveLength(2);
      expect(await currentGeneration(h.profile)).toBe(1);

      await asOperator(h, () => session.apply(true));
      expect(ctx.store.get().result).toMatchObject({ ok: true });
      expect(ctx.store.get()).toMatchObject({ mode: 'done', exitCode: 0 });
      expect(await currentGeneration(h.profile)).toBe(2);
      expect(ctx.deps.records.history('staging', 1)[0]).toMatchObject({ outcome: 'succeeded', operation: 'apply' });
    } finally {
      ctx.deps.close();
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
