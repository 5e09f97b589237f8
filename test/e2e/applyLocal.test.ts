// `clawdeploy apply`, smoke, drill, rollback, history and status end to end on a local host:
// real builds, real profiles and generations, the stand-in gateway, a real SQLite ledger.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_SECRETS, SECRET_FILES, NIX_ENV } from '../helpers/fixtures.js';
import { HM_ATTR, useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { seedLocal } from '../../src/demo/seed.js';
import { printed, runCli, type CliResult } from '../helpers/cli.js';
import { readAudit } from '../../src/core/exec/audit.js';

const outputs: CliResult[] = [];
const { make, all } = useLocalHosts({ extraVersions: [{ version: '2026.6.12', broken: true }] });
async function cli(h: LocalHost, command: string, ...args: string[]): Promise<CliResult> {
  const r = await h.cli(command, ...args);
  outputs.push(r);
  return r;
}
async function currentGeneration(profile: string): Promise<number> {
  const r = await execa('nix-env', ['--profile', profile, '--list-generations'], { env: NIX_ENV });
  return Number(
    r.stdout
      .split('\n')
      .find((l) => l.includes('(current)'))
      ?.trim()
      .split(/\s+/)[0],
  );
}

describe('apply on a local staging host', () => {
  it('F1 first deploy: applied with --yes, healthy, recorded in the ledger, the audit log and on the host', async () => {
    const h = await make('f1-single-staging');
    const r = await cli(h, 'apply', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stdout).toMatch(/deployed staging: generation 1 is healthy/);
    expect(r.stdout).toMatch(/every channel works: telegram/);
    expect(await currentGeneration(h.profile)).toBe(1);
    const smoke = await cli(h, 'smoke', 'staging');
    expect(smoke.code, printed(smoke)).toBe(0);

    const [d] = await historyOf(h);
    expect(d).toMatchObject({ host: 'staging', operation: 'apply', outcome: 'succeeded', generationAfter: { number: 1 } });
    const audit = readAudit(join(h.stateDir, 'audit.jsonl'));
    const activate = audit.find((e) => e.action === 'activate');
    expect(activate).toMatchObject({ decision: 'ask', status: 'ok', exitCode: 0 });
    expect(activate?.approver).toMatch(/--yes/);
    const record = JSON.parse(readFileSync(`${h.profile}.clawdeploy/last-deploy.json`, 'utf8'));
    expect(record).toMatchObject({ host: 'staging', operation: 'apply', outcome: 'succeeded', generation: { number: 1 } });
    expect(existsSync(`${h.profile}.clawdeploy/lock`)).toBe(false);
  });

  it('F6 breaks the gateway: automatic rollback to a healthy generation 1, recorded, exit 1', async () => {
    const h = await make('f6-bump-broken', { seed: true });
    const r = await cli(h, 'apply', 'staging', '--yes', '--deadline', '6');
    expect(r.code, printed(r)).toBe(1);
    expect(r.stdout).toMatch(/rolled back to generation 1, which is healthy/);
    expect(await currentGeneration(h.profile)).toBe(1);
    const [d] = await historyOf(h);
    expect(d).toMatchObject({ outcome: 'rolled-back', generationAfter: { number: 1 } });
    expect(String(d!['failedCheck'])).toMatch(/gateway/);
    expect((await cli(h, 'smoke', 'staging')).code).toBe(0);
  });

  it('F4 with the discord token file missing is blocked before anything changes (exit 3)', async () => {
    const h = await make('f4-add-discord', { seed: true });
    const before = readdirSync(join(h.profile, '..')).sort();
    const r = await cli(h, 'apply', 'staging', '--yes');
    expect(r.code).toBe(3);
    expect(printed(r)).toMatch(/secret-file-missing/);
    expect(readdirSync(join(h.profile, '..')).sort()).toEqual(before);
    expect(await currentGeneration(h.profile)).toBe(1);
    expect((await historyOf(h))[0]).toMatchObject({ outcome: 'blocked' });
  });

  it('without --yes and with no terminal to ask, nothing is approved and nothing changes', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const r = await cli(h, 'apply', 'staging');
    expect(r.code).toBe(3);
    expect(printed(r)).toMatch(/no terminal to ask/);
    expect(r.stdout).toMatch(/nothing on the host changed/);
    expect(await currentGeneration(h.profile)).toBe(1);
  });

  it('a lock held by a live deploy refuses a second one, naming its owner', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    await execa('mkdir', ['-p', `${h.profile}.clawdeploy`]);
    symlinkSync(`operator@${(await execa('hostname')).stdout} pid ${process.pid} deployment other`, `${h.profile}.clawdeploy/lock`);
    const r = await cli(h, 'apply', 'staging', '--yes');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/locked by another deploy \(operator@.* pid \d+ deployment other\)/);
    expect(await currentGeneration(h.profile)).toBe(1);
    // A rollback is refused too, after showing what it found; the other deploy keeps its lock.
    await seedLocal({ flakeDir: h.flake.dir, attribute: HM_ATTR, profile: h.profile, env: { HOME: h.home } });
    const rb = await cli(h, 'rollback', 'staging', '--yes');
    expect(rb.code, `${rb.stdout}\n${rb.stderr}`).toBe(2);
    expect(rb.stdout, rb.stderr).toMatch(/Health now:/);
    expect(rb.stdout).toMatch(/host 'staging' is locked by another deploy \(operator@.* pid \d+ deployment other\)/);
    expect(await currentGeneration(h.profile)).toBe(2);
    expect(readlinkSync(`${h.profile}.clawdeploy/lock`)).toMatch(/deployment other$/);
  });

  it('kill -9 during apply: a second apply is refused while it runs; then status says interrupted, and rollback restores a healthy host', async () => {
    const h = await make('f6-bump-broken', { seed: true });
    const first = execa('node', [join(import.meta.dirname, '../../bin/clawdeploy.mjs'), 'apply', 'staging', '--yes', '--deadline', '60', '--flake', h.flake.dir], {
      env: { ...process.env, ...NIX_ENV, ...h.env },
      reject: false,
    });
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('apply never reached validation')), 60_000);
      first.stderr!.on('data', (b: Buffer) => {
        if (b.toString().includes('validating')) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    const second = await cli(h, 'apply', 'staging', '--yes');
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/another clawdeploy \(pid \d+\) is deploying it right now/);

    first.kill('SIGKILL');
    await first;
    const status = await cli(h, 'status', 'staging');
    expect(status.stdout).toMatch(/INTERRUPTED: deployment \w+ \(apply/);
    expect(status.stdout).toMatch(/clawdeploy rollback staging/);
    // Every command on that host says so; a drill (back and forth) refuses until it is resolved.
    const planned = await cli(h, 'plan', 'staging');
    expect(planned.stderr).toMatch(/note: host 'staging': apply \w+ \(started .+\) was interrupted; run `clawdeploy rollback staging` to return to generation 1/);
    const drill = await cli(h, 'drill', 'staging', '--yes');
    expect(drill.code).toBe(2);
    expect(drill.stderr).toMatch(/was interrupted; run `clawdeploy rollback staging`/);
    expect(await currentGeneration(h.profile)).toBe(2);
    const again = await cli(h, 'apply', 'staging', '--yes');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/was interrupted; run `clawdeploy rollback staging`/);

    const rb = await cli(h, 'rollback', 'staging', '--yes');
    expect(rb.code, printed(rb)).toBe(0);
    expect(rb.stderr).toMatch(/note: host 'staging': apply \w+ .* was interrupted/);
    expect(rb.stdout).toMatch(/last known good|<- target/);
    // The broken gateway is down: the health now says so in one request, the rest is not run.
    expect(rb.stdout).toMatch(/ {2}FAIL http \/healthz: no gateway listening on port \d+/);
    expect(rb.stdout).toMatch(/ {2}- {4}channels-probe: not run: the gateway does not answer \/healthz/);
    // Pre-approved: what changes is worked out while the host switches, and still shown.
    expect(rb.stdout).toMatch(/What changed from generation 2 to 1:\n {2}- \[closure\] openclaw 2026\.6\.12 → 2026\.6\.10/);
    expect(rb.stdout).toMatch(/rolled staging back to generation 1, which is healthy/);
    expect(await currentGeneration(h.profile)).toBe(1);
    expect((await cli(h, 'smoke', 'staging')).code).toBe(0);
    // Resolved by the rollback: status no longer calls the host interrupted.
    const resolved = await cli(h, 'status', 'staging');
    expect(resolved.stdout).not.toMatch(/INTERRUPTED/);
  });

  it('rollback --explain: advice on the target before the switch (offline: from the proposal), with the diff shown first', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    expect((await cli(h, 'apply', 'staging', '--yes')).code).toBe(0);
    const rb = await cli(h, 'rollback', 'staging', '--yes', '--explain');
    expect(rb.code, printed(rb)).toBe(0);
    expect(rb.stdout).toMatch(/From generation 2 to 1:\n {2}- \[closure\] openclaw 2026\.6\.11 → 2026\.6\.10/);
    expect(rb.stdout).toMatch(
      /Advice \(offline, from the proposal\):\nRoll back to generation 1 \(\/nix\/store\/\S+\): the one before the current generation 2, which itself passed validation when it was deployed\./,
    );
    expect(rb.stdout).toMatch(/Every check passes right now/);
    expect(rb.stdout.indexOf('Advice')).toBeLessThan(rb.stdout.indexOf('rolled staging back'));
    expect(await currentGeneration(h.profile)).toBe(1);
  });

  it('drill on staging: back and forward, both healthy, recorded; refused on production', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    expect((await cli(h, 'apply', 'staging', '--yes')).code).toBe(0);
    const d = await cli(h, 'drill', 'staging', '--yes');
    expect(d.code, printed(d)).toBe(0);
    expect(d.stdout).toMatch(/drill passed on staging: back to generation 1 and forward to 2/);
    expect(await currentGeneration(h.profile)).toBe(2);
    const status = await cli(h, 'status', 'staging');
    expect(status.stdout).toMatch(/last drill: passed/);
  });

  it('with generations above the current one (after a rollback), apply names, records and writes the number nix-env gave', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    expect((await cli(h, 'apply', 'staging', '--yes')).code).toBe(0);
    // 1 (base) and 2 (the bump); back to 1: generation 2 stays above the current one.
    const back = await cli(h, 'rollback', 'staging', '--yes', '--to', '1');
    expect(back.code, printed(back)).toBe(0);
    // A build that differs from generation 2 (nix-env would reuse 2 for the same store path).
    const flakeNix = join(h.flake.dir, 'flake.nix');
    writeFileSync(flakeNix, readFileSync(flakeNix, 'utf8').replace('allowFrom = [ 12345678 ];', 'allowFrom = [ 12345678 87654321 ];'));
    const plan = await cli(h, 'plan', 'staging');
    expect(plan.stdout).toMatch(/generation 3 of/);
    const r = await cli(h, 'apply', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stdout).toMatch(/deployed staging: generation 3 is healthy/);
    expect(await currentGeneration(h.profile)).toBe(3);
    expect((await historyOf(h))[0]).toMatchObject({ operation: 'apply', outcome: 'succeeded', generationAfter: { number: 3 } });
    expect(JSON.parse(readFileSync(`${h.profile}.clawdeploy/last-deploy.json`, 'utf8'))).toMatchObject({ generation: { number: 3 } });
  });

  it('a reviewed runbook executes exactly as reviewed, is refused when tampered, and is stale once the host moved', async () => {
    const h = await make('f3-bump-openclaw', { seed: true });
    const md = join(h.stateDir, 'deploy.md');
    expect((await cli(h, 'plan', 'staging', '--runbook', md)).code).toBe(0);
    const json = md.replace(/\.md$/, '.json');
    const ok = await runCli(['runbook', 'verify', json], { env: h.env });
    expect(ok.code, printed(ok)).toBe(0);

    const tampered = JSON.parse(readFileSync(json, 'utf8'));
    tampered.plan.steps.apply[1].argv = ['nix-env', '--profile', h.profile, '--set', '/nix/store/00000000000000000000000000000000-evil'];
    const bad = join(h.stateDir, 'tampered.json');
    writeFileSync(bad, JSON.stringify(tampered));
    const refused = await runCli(['runbook', 'verify', bad], { env: h.env });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/hash does not match|not the one the catalog builds/);

    const applied = await cli(h, 'apply', '--runbook', json);
    expect(applied.code, printed(applied)).toBe(0);
    expect(await currentGeneration(h.profile)).toBe(2);
    const stale = await cli(h, 'apply', '--runbook', json);
    // A refused runbook is blocked (README's exit codes: an invalid runbook exits 3).
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/stale: the host now runs generation 2/);
  });

  it('no secret from the fixtures appears in any output, audit log, record or host record', async () => {
    const secrets = [...Object.values(FAKE_SECRETS), ...Object.values(SECRET_FILES).map((s) => s.trim().replace(/^[A-Z_]+=/, ''))].filter((s) => s.length >= 12);
    const files = all()
      .flatMap((h) => [join(h.stateDir, 'audit.jsonl'), join(h.stateDir, 'records.db'), `${h.profile}.clawdeploy/last-deploy.json`])
      .filter(existsSync);
    expect(files.length).toBeGreaterThan(3);
    for (const s of secrets) {
      for (const r of outputs) expect(printed(r)).not.toContain(s);
      for (const f of files) expect(readFileSync(f).includes(Buffer.from(s)), `${f} contains a secret`).toBe(false);
    }
  });
});

async function historyOf(h: LocalHost): Promise<Array<Record<string, unknown>>> {
  const r = await runCli(['history', '--json'], { env: h.env });
  outputs.push(r);
  return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
}
