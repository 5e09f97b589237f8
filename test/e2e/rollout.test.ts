// Fleet rollouts on four netns ssh hosts (their own /nix and sshd): a canary wave, then waves of
// two, each validated (gateway and every channel) before the next. A failing host is rolled back
// by its own deploy, the rest of its wave by the rollout; earlier waves stay (all go back with
// --rollback-all); an unreachable host stops the rollout before it starts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, NIX_ENV, SECRET_FILES, tempDir, type MaterializedFlake } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';
import { runCli, printed } from '../helpers/cli.js';
import { PROFILE, must, setLink, startCli } from '../helpers/sshDeploy.js';

const NAMES = ['fl-a', 'fl-b', 'fl-c', 'fl-d'] as const;
const SECRETS = ['openclaw-gateway-token', 'anthropic', 'telegram-staging'];
const testHosts = useTestHosts();
afterAll(() => cleanupFixtures());

interface Fleet {
  hosts: Record<(typeof NAMES)[number], TestHost>;
  flake: MaterializedFlake;
  gen1: string;
  sshConfig: string;
  env: Record<string, string>;
}

let fleet: Fleet;

/** `clawdeploy apply --on …` as the operator, JSON out; its result and the hosts' outcomes. */
async function rollout(...args: string[]) {
  const r = await runCli(['--ssh-config', fleet.sshConfig, 'apply', ...args, '--flake', fleet.flake.dir, '--yes', '--json'], { env: fleet.env });
  let outcomes: Record<string, { outcome: string; wave: number; before: { number: number } | null; after: { number: number } | null }> = {};
  try {
    const json = JSON.parse(r.stdout) as { hosts: Array<{ host: string; outcome: string; wave: number; before: { number: number } | null; after: { number: number } | null }> };
    outcomes = Object.fromEntries(json.hosts.map((h) => [h.host, h]));
  } catch {
    // Not started: no JSON (the error is on stderr).
  }
  return { ...r, outcomes };
}

/** What each host's profile points at: F10's generation ('old') or the bump ('new'). beforeEach resets to 'old' as a new generation number. */
const running = async (n: (typeof NAMES)[number]) => {
  // Read on this machine (the host's /nix is rootDir/nix), so a host whose link is down can be asked too.
  const h = fleet.hosts[n];
  const link = readlinkSync(join(h.rootDir, PROFILE));
  const target = readlinkSync(join(h.rootDir, dirname(PROFILE), link));
  return target === fleet.gen1 ? 'old' : 'new';
};
const gens = async () => Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await running(n)] as const)));
/** An empty token file: the plan sees the file, the gateway cannot start its telegram channel. */
const breakTelegram = (n: (typeof NAMES)[number]) => fleet.hosts[n].writeFile('/run/agenix/telegram-staging', '', 0o600);

describe.skipIf(!hostsAvailable())('fleet rollouts', () => {
  beforeAll(async () => {
    const repo = (await createOpenclawRepo()).path;
    const made = await Promise.all(NAMES.map((n) => testHosts.create(n)));
    const hosts = Object.fromEntries(made.map((h) => [h.name, h])) as Fleet['hosts'];
    // fl-a is the canary by its tag; the rest go in waves of two.
    const inventory = Object.fromEntries(made.map((h) => [h.name, { target: h.target, tags: h.name === 'fl-a' ? ['canary', 'edge'] : ['edge'] }]));
    const flake = await materializeFlake('f10-fleet-bump', { openclawRepo: repo, vars: { FLEET: JSON.stringify(inventory), FLEET_PORT: '18789', FLEET_PROFILE: PROFILE, SECRETS_DIR: '/run/agenix' } });
    const gen1 = await buildAt(flake.dir, 'homeConfigurations.fleet.activationPackage', flake.baseRev);
    const sshConfig = join(tempDir('fleet-ssh'), 'config');
    writeFileSync(sshConfig, made.map((h) => readFileSync(h.sshConfig, 'utf8')).join('\n'));
    for (const h of made) await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, gen1], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
    fleet = { hosts, flake, gen1, sshConfig, env: {} };
  }, 600_000);

  // Every test starts from the same fleet: generation 1 everywhere, healthy, fresh records.
  beforeEach(async () => {
    fleet.env = { CLAWDEPLOY_STATE_DIR: tempDir('state') };
    await Promise.all(
      NAMES.map(async (n) => {
        const h = fleet.hosts[n];
        await setLink(h, 'up');
        for (const s of SECRETS) await h.writeFile(`/run/agenix/${s}`, SECRET_FILES[s]!, 0o600);
        await must(h, ['nix-env', '--profile', PROFILE, '--set', fleet.gen1]);
        await must(h, [`${PROFILE}/activate`]);
      }),
    );
  }, 300_000);

  it('canary first, then waves of two: every host validated and recorded; exit 0', async () => {
    const r = await rollout('--on', '@edge', '--parallel', '2');
    expect(r.code, printed(r)).toBe(0);
    expect(await gens()).toEqual({ 'fl-a': 'new', 'fl-b': 'new', 'fl-c': 'new', 'fl-d': 'new' });
    expect(Object.fromEntries(Object.entries(r.outcomes).map(([n, o]) => [n, [o.wave, o.outcome, o.after!.number - o.before!.number]]))).toEqual({
      'fl-a': [0, 'succeeded', 1],
      'fl-b': [1, 'succeeded', 1],
      'fl-c': [1, 'succeeded', 1],
      'fl-d': [2, 'succeeded', 1],
    });
    expect(r.stderr).toMatch(/canary \(fl-a\) \(wave 1 of 3\)/);
    // The same revision again: nothing to deploy anywhere.
    const again = await rollout('--on', 'fl-*');
    expect(again.code, printed(again)).toBe(0);
    expect(Object.values(again.outcomes).map((o) => o.outcome)).toEqual(['no-change', 'no-change', 'no-change', 'no-change']);
  }, 600_000);

  it('a host failing in wave 2 is rolled back, so is the rest of its wave; the canary keeps the new generation; later waves never start (exit 1)', async () => {
    // fl-c's telegram token is empty: its channel cannot start on the new generation.
    await breakTelegram('fl-c');
    const r = await rollout('--on', '@edge', '--parallel', '2', '--deadline', '8');
    expect(r.code, printed(r)).toBe(1);
    expect(r.outcomes['fl-a']?.outcome).toBe('succeeded');
    expect(r.outcomes['fl-b']?.outcome).toBe('reverted');
    expect(['rolled-back', 'failed']).toContain(r.outcomes['fl-c']?.outcome);
    expect(r.outcomes['fl-d']?.outcome).toBe('not-started');
    expect(await gens()).toEqual({ 'fl-a': 'new', 'fl-b': 'old', 'fl-c': 'old', 'fl-d': 'old' });
    const { rollout: id, message } = JSON.parse(r.stdout) as { rollout: string; message: string };
    expect(message).toMatch(/wave 1 of 3 failed on fl-c: the rollout stopped; rolled back fl-b; earlier waves keep the new generation/);

    // The records say so: history lists the rollout, status tells each host how to go on.
    const history = await runCli(['history'], { env: fleet.env });
    expect(history.stdout).toMatch(new RegExp(`${id.slice(0, 8)}\\s+@edge\\s+stopped\\s+1/4 current`));
    const status = await runCli(['--ssh-config', fleet.sshConfig, 'status', 'fl-d', '--flake', fleet.flake.dir], { env: fleet.env });
    expect(status.stdout).toContain(`ROLLOUT ${id.slice(0, 8)} stopped (this host: not-started): continue with clawdeploy apply --resume ${id.slice(0, 8)}`);

    // Fixed, then resumed: the hosts not done are deployed, wave by wave; the canary is left as it is.
    await fleet.hosts['fl-c'].writeFile('/run/agenix/telegram-staging', SECRET_FILES['telegram-staging']!, 0o600);
    await must(fleet.hosts['fl-c'], [`${PROFILE}/activate`]);
    const resumed = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--resume', id.slice(0, 8), '--yes', '--json'], { env: fleet.env });
    expect(resumed.code, printed(resumed)).toBe(0);
    expect(Object.fromEntries((JSON.parse(resumed.stdout) as { hosts: Array<{ host: string; outcome: string }> }).hosts.map((h) => [h.host, h.outcome]))).toEqual({
      'fl-a': 'succeeded',
      'fl-b': 'succeeded',
      'fl-c': 'succeeded',
      'fl-d': 'succeeded',
    });
    expect(await gens()).toEqual({ 'fl-a': 'new', 'fl-b': 'new', 'fl-c': 'new', 'fl-d': 'new' });
  }, 600_000);

  it("a fleet runbook: plan --on writes it (waves, every host's commands); apply --runbook runs it exactly as reviewed; edited or stale, it is refused", async () => {
    const md = join(tempDir('fleet-runbook'), 'fleet.md');
    const plan = await runCli(['--ssh-config', fleet.sshConfig, 'plan', '--on', '@edge', '--parallel', '2', '--runbook', md, '--flake', fleet.flake.dir], { env: fleet.env });
    expect(plan.code, printed(plan)).toBe(0);
    expect(plan.stdout).toMatch(/^canary: fl-a;/m);
    expect(plan.stdout).toMatch(/^wave 1: fl-b, fl-c;/m);
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/## Canary wave: fl-a/);
    expect(text).toMatch(/nix-env --profile \/nix\/var\/nix\/profiles\/per-user\/root\/home-manager --set \/nix\/store\//);
    const json = md.replace(/\.md$/, '.json');

    // Edited after review (fl-d swapped into wave 1 for fl-b): refused before anything runs.
    const edited = JSON.parse(readFileSync(json, 'utf8')) as { waves: string[][] };
    edited.waves = [['fl-a'], ['fl-d', 'fl-c'], ['fl-b']];
    const bad = join(tempDir('fleet-runbook'), 'edited.json');
    writeFileSync(bad, JSON.stringify(edited));
    const refused = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--runbook', bad], { env: fleet.env });
    expect(refused.code, printed(refused)).toBe(3);
    expect(refused.stderr).toMatch(/hash does not match/);
    expect(await gens()).toEqual({ 'fl-a': 'old', 'fl-b': 'old', 'fl-c': 'old', 'fl-d': 'old' });

    const applied = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--runbook', json, '--json'], { env: fleet.env });
    expect(applied.code, printed(applied)).toBe(0);
    expect(await gens()).toEqual({ 'fl-a': 'new', 'fl-b': 'new', 'fl-c': 'new', 'fl-d': 'new' });
    // The hosts moved since the review: the same runbook is stale now.
    const stale = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--runbook', json], { env: fleet.env });
    expect(stale.code, printed(stale)).toBe(3);
    expect(stale.stderr).toMatch(/refused, nothing changed: fl-a: /);
  }, 600_000);

  it('kill -9 mid-rollout: the rollout reads interrupted, and --resume finishes it from what is not done', async () => {
    const run = startCli(['--ssh-config', fleet.sshConfig, 'apply', '--on', '@edge', '--parallel', '2', '--yes', '--flake', fleet.flake.dir], fleet.env);
    // Killed once the canary passed and wave 1 started deploying.
    await run.waitFor(/^== wave 1: fl-b, fl-c$/, 300_000);
    run.kill();
    await run.exited;
    const history = await runCli(['history'], { env: fleet.env });
    const id = /([0-9a-f]{8})\s+@edge\s+interrupted/.exec(history.stdout)?.[1];
    expect(id, history.stdout).toBeDefined();
    const resumed = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--resume', id!, '--yes', '--json'], { env: fleet.env });
    expect(resumed.code, printed(resumed)).toBe(0);
    expect((JSON.parse(resumed.stdout) as { outcome: string }).outcome).toBe('succeeded');
    expect(await gens()).toEqual({ 'fl-a': 'new', 'fl-b': 'new', 'fl-c': 'new', 'fl-d': 'new' });
  }, 600_000);

  it('--rollback-all takes the canary back too', async () => {
    await breakTelegram('fl-c');
    const r = await rollout('--on', '@edge', '--parallel', '2', '--deadline', '8', '--rollback-all');
    expect(r.code, printed(r)).toBe(1);
    expect(r.outcomes['fl-a']?.outcome).toBe('reverted');
    expect(r.outcomes['fl-b']?.outcome).toBe('reverted');
    expect(await gens()).toEqual({ 'fl-a': 'old', 'fl-b': 'old', 'fl-c': 'old', 'fl-d': 'old' });
  }, 600_000);

  it('a failing canary changes nothing else', async () => {
    await breakTelegram('fl-a');
    const r = await rollout('--on', '@edge', '--parallel', '2', '--deadline', '8');
    expect(r.code, printed(r)).toBe(1);
    expect(['rolled-back', 'failed']).toContain(r.outcomes['fl-a']?.outcome);
    for (const n of ['fl-b', 'fl-c', 'fl-d']) expect(r.outcomes[n]?.outcome).toBe('not-started');
    expect(await gens()).toEqual({ 'fl-a': 'old', 'fl-b': 'old', 'fl-c': 'old', 'fl-d': 'old' });
  }, 600_000);

  it('an unreachable host stops the rollout before anything is built (exit 2); --skip-unreachable leaves it out, recorded', async () => {
    await setLink(fleet.hosts['fl-d'], 'down');
    const r = await rollout('--on', '@edge', '--parallel', '2');
    expect(r.code, printed(r)).toBe(2);
    expect(r.stderr).toMatch(/rollout not started, nothing changed: .*fl-d/);
    expect(await gens()).toEqual({ 'fl-a': 'old', 'fl-b': 'old', 'fl-c': 'old', 'fl-d': 'old' });
    const skipped = await rollout('--on', '@edge', '--parallel', '2', '--skip-unreachable');
    expect(skipped.code, printed(skipped)).toBe(0);
    expect(skipped.outcomes['fl-d']?.outcome).toBe('skipped-unreachable');
    expect(await gens()).toEqual({ 'fl-a': 'new', 'fl-b': 'new', 'fl-c': 'new', 'fl-d': 'old' });
  }, 600_000);
});
