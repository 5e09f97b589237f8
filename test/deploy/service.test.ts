// The one deploy path (issue 10, "One deploy path"): the CLI, the chat and the ink session call
// this service, and a fleet schedules it per host. Real local hosts, real records.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { materializeFlake, tempDir, writeSecretFiles } from '../helpers/fixtures.js';
import { deployHost, deployOpened, openDeploy, type HostEvent, type ServiceDeps } from '../../src/core/deploy/service.js';
import { drillThroughService, rollbackThroughService } from '../../src/core/deploy/recoveryService.js';
import { loadHost } from '../../src/core/inventory/load.js';
import { gateFactsFor } from '../../src/core/deploy/recordsLedger.js';
import { isUserError } from '../../src/core/errors.js';
import { asOperator, currentGeneration, inProcess } from './localDeploy.js';
import { firstLine, nodeChild } from '../records/helpers.js';

const { make, repo } = useLocalHosts();
const usage = { transcriptId: null, provider: 'openai', model: 'gpt-test', calls: 2, inputTokens: 2100, outputTokens: 310, costUsd: null };

function service(run: ReturnType<typeof inProcess>): ServiceDeps {
  return { records: run.records, deploy: run.deps, gates: gateFactsFor(run.records) };
}

/** Deploys the host's flake through the service; its result and every event it sent. */
async function deploy(h: LocalHost, run: ReturnType<typeof inProcess>, extra: Partial<Parameters<typeof deployHost>[0]> = {}) {
  const events: HostEvent[] = [];
  const r = await asOperator(h, () => deployHost({ flakeDir: h.flake.dir, hostName: 'staging', redact: (s) => s, approvedBy: 'tester', ...extra }, service(run), (e) => events.push(e)));
  return { r, events };
}

describe('the deploy service', () => {
  it('names the host in every event, shows the plan before the first question, and stores the usage with the deployment', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const run = inProcess(h);
    try {
      const { r, events } = await deploy(h, run, { usage });
      expect(r.outcome, r.message).toBe('succeeded');
      expect(await currentGeneration(h.profile)).toBe(2);
      expect(new Set(events.map((e) => e.host))).toEqual(new Set(['staging']));
      const planAt = events.findIndex((e) => e.type === 'plan');
      const firstStep = events.findIndex((e) => e.type === 'deploy' && e.event.type === 'step-start');
      expect(planAt).toBeGreaterThanOrEqual(0);
      expect(planAt).toBeLessThan(firstStep);
      expect(events.some((e) => e.type === 'deploy' && e.event.type === 'validation')).toBe(true);
      expect(run.records.usageOf(r.deploymentId!)).toMatchObject([{ provider: 'openai', calls: 2, inputTokens: 2100, outputTokens: 310 }]);
    } finally {
      run.close();
    }
  });

  it('plans from the revision last deployed, not from a newer HEAD (the chat once planned from HEAD)', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const run = inProcess(h);
    try {
      const { r } = await deploy(h, run);
      expect(r.outcome, r.message).toBe('succeeded');
      const deployed = run.records.lastDeployedRev('staging');
      expect(deployed).toMatch(/^[0-9a-f]{40}$/);
      // A commit after the deploy that the host has not had.
      writeFileSync(join(h.flake.dir, 'NOTES.md'), 'a later change\n');
      await execa('git', ['add', 'NOTES.md'], { cwd: h.flake.dir });
      await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'notes'], { cwd: h.flake.dir });
      const head = (await execa('git', ['rev-parse', 'HEAD'], { cwd: h.flake.dir })).stdout.trim();
      expect(head).not.toBe(deployed);
      const opened = await asOperator(h, () => openDeploy({ flakeDir: h.flake.dir, hostName: 'staging', redact: (s) => s }, service(run)));
      expect(opened.plan.flake.base).toEqual({ rev: deployed, source: 'last-deploy' });
    } finally {
      run.close();
    }
  });

  it('an interrupted deploy: refused outright for the CLI, returned for the ink session, and refused again unless resumed; nothing changes', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    // A clawdeploy that started deploying this host and was killed (kill -9) mid-way.
    const child = nodeChild(
      `const r = R.openRecords(process.env.DB);
       const id = r.startDeployment({ host: 'staging', environment: 'staging', target: 'local', kind: 'home-manager', operation: 'apply', flakeDir: '/f', flakeRev: null, dirty: false, lockHash: null, planHash: 'p', generationBefore: { number: 1, storePath: '/nix/store/x' }, approver: 'tester', startedAt: new Date().toISOString() });
       console.log(id);
       setInterval(() => {}, 1000);`,
      { DB: join(h.stateDir, 'records.db') },
    );
    await firstLine(child);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const run = inProcess(h);
    try {
      const refused = await deploy(h, run).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isUserError(refused) && refused.message).toMatch(/^host 'staging': apply \w+ \(started .+\) was interrupted; run `clawdeploy rollback staging`/);
      const opened = await asOperator(h, () => openDeploy({ flakeDir: h.flake.dir, hostName: 'staging', redact: (s) => s, resumeHint: '/resume' }, service(run)));
      expect(opened.interrupted?.message).toMatch(/or \/resume to plan and deploy again$/);
      const r = await asOperator(h, () => deployOpened(opened, { flakeDir: h.flake.dir, approvedBy: 'tester' }, service(run)));
      expect(r).toMatchObject({ outcome: 'refused', exitCode: 2, deploymentId: null });
      expect(run.asked).toEqual([]);
      expect(await currentGeneration(h.profile)).toBe(1);
      const resumed = await asOperator(h, () => deployOpened(opened, { flakeDir: h.flake.dir, approvedBy: 'tester', resume: true }, service(run)));
      expect(resumed.outcome, resumed.message).toBe('succeeded');
      expect(await currentGeneration(h.profile)).toBe(2);
    } finally {
      run.close();
    }
  });

  it('production: the promotion gates refuse before anything runs and say which failed; the attempt changes nothing', async () => {
    const profile = join(tempDir('prof'), 'system');
    const flake = await materializeFlake('f2-staging-prod', { openclawRepo: repo(), vars: { PROFILE_prod: profile } });
    writeSecretFiles(flake.vars['SECRETS_DIR']!, ['telegram-prod', 'openclaw-prod.env', 'openclaw-gateway-token', 'anthropic', 'telegram-staging']);
    const stateDir = tempDir('state');
    const h = { home: tempDir('home'), stateDir } as LocalHost;
    const run = inProcess(h);
    const events: HostEvent[] = [];
    try {
      const r = await asOperator(h, () => deployHost({ flakeDir: flake.dir, hostName: 'prod', redact: (s) => s, approvedBy: 'tester' }, service(run), (e) => events.push(e)));
      expect(r.outcome, r.message).toBe('blocked');
      expect(r.exitCode).toBe(3);
      expect(r.message).toMatch(/^promotion refused, nothing was changed: .*staging/);
      const gates = events.find((e) => e.type === 'gates');
      expect(gates?.type === 'gates' && gates.gates.filter((g) => !g.ok).map((g) => g.gate).length).toBeGreaterThan(0);
      expect(events.every((e) => e.host === 'prod')).toBe(true);
      expect(events.some((e) => e.type === 'deploy')).toBe(false);
      expect(run.asked).toEqual([]);
      expect(run.records.history('prod', 5)).toEqual([]);
      // --yes never pre-approves production.
      const yes = await asOperator(h, () => deployHost({ flakeDir: flake.dir, hostName: 'prod', redact: (s) => s, approvedBy: '--yes', preApproved: true }, service(run))).catch((e: unknown) => e);
      expect(isUserError(yes) && yes.message).toMatch(/--yes pre-approves staging hosts only/);
    } finally {
      run.close();
    }
  });

  it('rollback and drill go through the same door: events name the host, the last known good comes from the records, --yes never rolls back production', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const run = inProcess(h);
    try {
      expect((await deploy(h, run)).r.outcome).toBe('succeeded');
      const host = await loadHost(h.flake.dir, 'staging');
      const events: HostEvent[] = [];
      const drill = await asOperator(h, () => drillThroughService({ host, flakeDir: h.flake.dir }, { ...service(run), deploy: run.deps }, (e) => events.push(e)));
      expect(drill.outcome, drill.message).toBe('passed');
      const rb = await asOperator(h, () => rollbackThroughService({ host, flakeDir: h.flake.dir }, service(run), (e) => events.push(e)));
      expect(rb.outcome, rb.message).toBe('succeeded');
      expect(await currentGeneration(h.profile)).toBe(1);
      expect(events.filter((e) => e.type === 'deploy').length).toBeGreaterThan(0);
      expect(events.every((e) => e.host === 'staging')).toBe(true);
      const prod = { ...host, name: 'prod', environment: 'production' as const };
      const yes = await rollbackThroughService({ host: prod, flakeDir: h.flake.dir, preApproved: true }, service(run)).catch((e: unknown) => e);
      expect(isUserError(yes) && yes.message).toMatch(/--yes pre-approves staging hosts only/);
      expect(await currentGeneration(h.profile)).toBe(1);
    } finally {
      run.close();
    }
  });
});
