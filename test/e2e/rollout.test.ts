// Fleet rollouts on six netns ssh hosts (their own /nix and sshd): a canary wave (fl-a), then waves
// of two ([fl-b, fl-c], [fl-d, fl-e], [fl-f]), each validated (gateway and every channel) before
// the next. A failing host is rolled back by its own deploy, the rest of its wave by the rollout;
// earlier waves stay (all go back with --rollback-all); an unreachable host stops the rollout
// before it starts. Every host's AFTER is the generation its profile is really on, read back.
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

const NAMES = ['fl-a', 'fl-b', 'fl-c', 'fl-d', 'fl-e', 'fl-f'] as const;
type Name = (typeof NAMES)[number];
/** Every host with the same value: `all('new')`, `all('succeeded')`. */
const all = <T>(v: T) => Object.fromEntries(NAMES.map((n) => [n, v]));
const SECRETS = ['openclaw-gateway-token', 'anthropic', 'telegram-staging'];
const testHosts = useTestHosts();
afterAll(() => cleanupFixtures());

interface Fleet {
  hosts: Record<Name, TestHost>;
  flake: MaterializedFlake;
  gen1: string;
  sshConfig: string;
  env: Record<string, string>;
}

let fleet: Fleet;

interface Generation {
  number: number;
  storePath: string;
}
interface HostOutcome {
  host: string;
  outcome: string;
  wave: number;
  before: Generation | null;
  after: Generation | null;
}

/** A rollout's --json: the hosts' outcomes by name (none when it did not start: the error is on stderr). */
function outcomesOf(stdout: string): Record<string, HostOutcome> {
  try {
    return Object.fromEntries((JSON.parse(stdout) as { hosts: HostOutcome[] }).hosts.map((h) => [h.host, h]));
  } catch {
    return {};
  }
}

/** `clawdeploy apply …` as the operator, JSON out; its result and the hosts' outcomes. */
async function rollout(...args: string[]) {
  const r = await runCli(['--ssh-config', fleet.sshConfig, 'apply', ...args, '--flake', fleet.flake.dir, '--yes', '--json'], { env: fleet.env });
  return { ...r, outcomes: outcomesOf(r.stdout) };
}

/**
 * The generation the host's profile is on: its number (the profile link's `…-N-link`) and store path.
 * Read on this machine (the host's /nix is rootDir/nix), so a host whose link is down can be asked too.
 */
const profileOf = (n: Name): Generation => {
  const h = fleet.hosts[n];
  const link = readlinkSync(join(h.rootDir, PROFILE));
  return { number: Number(/-(\d+)-link$/.exec(link)![1]), storePath: readlinkSync(join(h.rootDir, dirname(PROFILE), link)) };
};
/** What each host's profile points at: F10's generation ('old') or the bump ('new'). beforeEach resets to 'old' as a new generation number. */
const running = async (n: Name) => (profileOf(n).storePath === fleet.gen1 ? 'old' : 'new');
const gens = async () => Object.fromEntries(await Promise.all(NAMES.map(async (n) => [n, await running(n)] as const)));
/** An empty token file: the plan sees the file, the gateway cannot start its telegram channel. */
const breakTelegram = (n: Name) => fleet.hosts[n].writeFile('/run/agenix/telegram-staging', '', 0o600);
/**
 * Every host a rollout deployed (or deployed and took back) reports as AFTER the generation its
 * profile is really on, number and store path; a host it never reached reports none.
 */
function expectRealAfter(outcomes: Record<string, HostOutcome>) {
  for (const n of NAMES) {
    const o = outcomes[n];
    if (!o) continue;
    if (['succeeded', 'reverted', 'rolled-back'].includes(o.outcome)) expect({ host: n, after: o.after }).toEqual({ host: n, after: profileOf(n) });
    else if (o.outcome === 'not-started') expect({ host: n, after: o.after }).toEqual({ host: n, after: null });
  }
}

describe.skipIf(!hostsAvailable())('fleet rollouts', () => {
  beforeAll(async () => {
    const repo = (await createOpenclawRepo()).path;
    const made = await Promise.all(NAMES.map((n) => testHosts.create(n)));
    const hosts = Object.fromEntries(made.map((h) => [h.name, h])) as Fleet['hosts'];
    // fl-a is the canary by its tag; the rest go in waves of two: [fl-b, fl-c], [fl-d, fl-e], [fl-f].
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
    expect(await gens()).toEqual(all('new'));
    expect(Object.fromEntries(Object.entries(r.outcomes).map(([n, o]) => [n, [o.wave, o.outcome, o.after!.number - o.before!.number]]))).toEqual({
      'fl-a': [0, 'succeeded', 1],
      'fl-b': [1, 'succeeded', 1],
      'fl-c': [1, 'succeeded', 1],
      'fl-d': [2, 'succeeded', 1],
      'fl-e': [2, 'succeeded', 1],
      'fl-f': [3, 'succeeded', 1],
    });
    // AFTER is what each host's profile is really on, as its deploy read it back.
    expectRealAfter(r.outcomes);
    expect(r.stderr).toMatch(/canary \(fl-a\), wave 1 of 4/);
    expect(r.stderr).toMatch(/^wave 3 of 4, rollout [0-9a-f]{8}:\n {2}fl-d .*\n(?: {4}.*\n)+ {2}fl-e /m);
    expect(r.stderr).toMatch(/^wave 4 of 4, rollout [0-9a-f]{8}:\n {2}fl-f /m);
    // The same revision again: nothing to deploy anywhere.
    const again = await rollout('--on', 'fl-*');
    expect(again.code, printed(again)).toBe(0);
    expect(Object.values(again.outcomes).map((o) => o.outcome)).toEqual(Array(NAMES.length).fill('no-change'));
  }, 600_000);

  it('a host failing in wave 3 is rolled back, so is the rest of its wave; wave 2 and the canary keep the new generation; later waves never start (exit 1)', async () => {
    // fl-e's telegram token is empty: its channel cannot start on the new generation.
    await breakTelegram('fl-e');
    const r = await rollout('--on', '@edge', '--parallel', '2', '--deadline', '8');
    expect(r.code, printed(r)).toBe(1);
    expect(r.outcomes['fl-a']?.outcome).toBe('succeeded');
    expect(r.outcomes['fl-b']?.outcome).toBe('succeeded');
    expect(r.outcomes['fl-c']?.outcome).toBe('succeeded');
    expect(r.outcomes['fl-d']?.outcome).toBe('reverted');
    expect(['rolled-back', 'failed']).toContain(r.outcomes['fl-e']?.outcome);
    expect(r.outcomes['fl-f']?.outcome).toBe('not-started');
    expect(await gens()).toEqual({ ...all('new'), 'fl-d': 'old', 'fl-e': 'old', 'fl-f': 'old' });
    // Kept or taken back, AFTER is where each host's profile really is; fl-d is on its BEFORE again.
    expectRealAfter(r.outcomes);
    expect(r.outcomes['fl-d']?.after).toEqual(r.outcomes['fl-d']?.before);
    const { rollout: id, message } = JSON.parse(r.stdout) as { rollout: string; message: string };
    expect(message).toMatch(/wave 3 of 4 failed on fl-e: the rollout stopped; rolled back fl-d; earlier waves keep the new generation/);

    // The records say so: history lists the rollout, status tells each host how to go on.
    const history = await runCli(['history'], { env: fleet.env });
    expect(history.stdout).toMatch(new RegExp(`${id.slice(0, 8)}\\s+@edge\\s+stopped\\s+3/6 current`));
    const status = await runCli(['--ssh-config', fleet.sshConfig, 'status', 'fl-f', '--flake', fleet.flake.dir], { env: fleet.env });
    expect(status.stdout).toContain(`ROLLOUT ${id.slice(0, 8)} stopped (this host: not-started): continue with clawdeploy apply --resume ${id.slice(0, 8)}`);

    // Fixed, then resumed: the hosts not done are deployed, wave by wave; the canary and wave 2 are left as they are.
    await fleet.hosts['fl-e'].writeFile('/run/agenix/telegram-staging', SECRET_FILES['telegram-staging']!, 0o600);
    await must(fleet.hosts['fl-e'], [`${PROFILE}/activate`]);
    const resumed = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--resume', id.slice(0, 8), '--yes', '--json'], { env: fleet.env });
    expect(resumed.code, printed(resumed)).toBe(0);
    const done = outcomesOf(resumed.stdout);
    expect(Object.fromEntries(Object.entries(done).map(([n, o]) => [n, o.outcome]))).toEqual(all('succeeded'));
    expect(await gens()).toEqual(all('new'));
    expectRealAfter(done);
    for (const n of ['fl-a', 'fl-b', 'fl-c']) expect({ host: n, after: done[n]?.after }).toEqual({ host: n, after: r.outcomes[n]?.after });
  }, 600_000);

  it("a fleet runbook: plan --on writes it (waves, every host's commands); apply --runbook runs it exactly as reviewed; edited or stale, it is refused", async () => {
    const md = join(tempDir('fleet-runbook'), 'fleet.md');
    const plan = await runCli(['--ssh-config', fleet.sshConfig, 'plan', '--on', '@edge', '--parallel', '2', '--runbook', md, '--flake', fleet.flake.dir], { env: fleet.env });
    expect(plan.code, printed(plan)).toBe(0);
    expect(plan.stdout).toMatch(/^canary: fl-a;/m);
    expect(plan.stdout).toMatch(/^wave 2: fl-b, fl-c;/m);
    expect(plan.stdout).toMatch(/^wave 3: fl-d, fl-e;/m);
    expect(plan.stdout).toMatch(/^wave 4: fl-f;/m);
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/## Canary wave: fl-a/);
    expect(text).toMatch(/nix-env --profile \/nix\/var\/nix\/profiles\/per-user\/root\/home-manager --set \/nix\/store\//);
    const json = md.replace(/\.md$/, '.json');

    const reviewed = (JSON.parse(readFileSync(json, 'utf8')) as { waves: string[][] }).waves;
    expect(reviewed).toEqual([['fl-a'], ['fl-b', 'fl-c'], ['fl-d', 'fl-e'], ['fl-f']]);

    // Edited after review (fl-d swapped into wave 2 for fl-b): refused before anything runs.
    const edited = JSON.parse(readFileSync(json, 'utf8')) as { waves: string[][] };
    edited.waves = [['fl-a'], ['fl-d', 'fl-c'], ['fl-b', 'fl-e'], ['fl-f']];
    const bad = join(tempDir('fleet-runbook'), 'edited.json');
    writeFileSync(bad, JSON.stringify(edited));
    const refused = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--runbook', bad], { env: fleet.env });
    expect(refused.code, printed(refused)).toBe(3);
    expect(refused.stderr).toMatch(/hash does not match/);
    expect(await gens()).toEqual(all('old'));

    const applied = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--runbook', json, '--json'], { env: fleet.env });
    expect(applied.code, printed(applied)).toBe(0);
    expect(await gens()).toEqual(all('new'));
    // Its waves, exactly as reviewed.
    const ran = outcomesOf(applied.stdout);
    expect(Object.fromEntries(Object.entries(ran).map(([n, o]) => [n, [o.wave, o.outcome]]))).toEqual(
      Object.fromEntries(reviewed.flatMap((hosts, wave) => hosts.map((n) => [n, [wave, 'succeeded']]))),
    );
    expectRealAfter(ran);
    // The hosts moved since the review: the same runbook is stale now.
    const stale = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--runbook', json], { env: fleet.env });
    expect(stale.code, printed(stale)).toBe(3);
    expect(stale.stderr).toMatch(/refused, nothing changed: fl-a: /);
  }, 600_000);

  it('kill -9 mid-rollout: the rollout reads interrupted, and --resume finishes it from what is not done', async () => {
    const run = startCli(['--ssh-config', fleet.sshConfig, 'apply', '--on', '@edge', '--parallel', '2', '--yes', '--flake', fleet.flake.dir], fleet.env);
    // Killed once the canary passed and wave 2 started deploying.
    await run.waitFor(/^== wave 2: fl-b, fl-c$/, 300_000);
    run.kill();
    await run.exited;
    const history = await runCli(['history'], { env: fleet.env });
    const id = /([0-9a-f]{8})\s+@edge\s+interrupted/.exec(history.stdout)?.[1];
    expect(id, history.stdout).toBeDefined();
    const resumed = await runCli(['--ssh-config', fleet.sshConfig, 'apply', '--resume', id!, '--yes', '--json'], { env: fleet.env });
    expect(resumed.code, printed(resumed)).toBe(0);
    expect((JSON.parse(resumed.stdout) as { outcome: string }).outcome).toBe('succeeded');
    expect(await gens()).toEqual(all('new'));
    const done = outcomesOf(resumed.stdout);
    expect(Object.fromEntries(Object.entries(done).map(([n, o]) => [n, o.outcome]))).toEqual(all('succeeded'));
    expectRealAfter(done);
  }, 600_000);

  it('--rollback-all takes back every wave: the canary, wave 2 and the rest of the failed wave', async () => {
    await breakTelegram('fl-e');
    const r = await rollout('--on', '@edge', '--parallel', '2', '--deadline', '8', '--rollback-all');
    expect(r.code, printed(r)).toBe(1);
    for (const n of ['fl-a', 'fl-b', 'fl-c', 'fl-d']) expect({ host: n, outcome: r.outcomes[n]?.outcome }).toEqual({ host: n, outcome: 'reverted' });
    expect(['rolled-back', 'failed']).toContain(r.outcomes['fl-e']?.outcome);
    expect(r.outcomes['fl-f']?.outcome).toBe('not-started');
    expect(await gens()).toEqual(all('old'));
    // Each is back on its BEFORE, and says so.
    expectRealAfter(r.outcomes);
    for (const n of ['fl-a', 'fl-b', 'fl-c', 'fl-d']) expect({ host: n, after: r.outcomes[n]?.after }).toEqual({ host: n, after: r.outcomes[n]?.before });
    expect((JSON.parse(r.stdout) as { message: string }).message).toMatch(/wave 3 of 4 failed on fl-e: the rollout stopped; rolled back fl-[a-d], fl-[a-d], fl-[a-d], fl-[a-d]$/);
  }, 600_000);

  it('a failing canary changes nothing else', async () => {
    await breakTelegram('fl-a');
    const r = await rollout('--on', '@edge', '--parallel', '2', '--deadline', '8');
    expect(r.code, printed(r)).toBe(1);
    expect(['rolled-back', 'failed']).toContain(r.outcomes['fl-a']?.outcome);
    for (const n of ['fl-b', 'fl-c', 'fl-d', 'fl-e', 'fl-f']) expect({ host: n, outcome: r.outcomes[n]?.outcome }).toEqual({ host: n, outcome: 'not-started' });
    expect(await gens()).toEqual(all('old'));
    expectRealAfter(r.outcomes);
  }, 600_000);

  it('an unreachable host stops the rollout before anything is built (exit 2); --skip-unreachable leaves it out, recorded', async () => {
    await setLink(fleet.hosts['fl-d'], 'down');
    const r = await rollout('--on', '@edge', '--parallel', '2');
    expect(r.code, printed(r)).toBe(2);
    expect(r.stderr).toMatch(/rollout not started, nothing changed: .*fl-d/);
    expect(await gens()).toEqual(all('old'));
    const skipped = await rollout('--on', '@edge', '--parallel', '2', '--skip-unreachable');
    expect(skipped.code, printed(skipped)).toBe(0);
    // fl-d left out: canary fl-a, then [fl-b, fl-c], [fl-e, fl-f].
    expect(Object.fromEntries(Object.entries(skipped.outcomes).map(([n, o]) => [n, [o.wave, o.outcome]]))).toEqual({
      'fl-a': [0, 'succeeded'],
      'fl-b': [1, 'succeeded'],
      'fl-c': [1, 'succeeded'],
      'fl-d': [-1, 'skipped-unreachable'],
      'fl-e': [2, 'succeeded'],
      'fl-f': [2, 'succeeded'],
    });
    expect(await gens()).toEqual({ ...all('new'), 'fl-d': 'old' });
    expectRealAfter(skipped.outcomes);
  }, 600_000);
});
