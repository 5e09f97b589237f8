// The link to an ssh host cut during activation or validation (`ip link set down` inside its
// namespace): the lost connection is noticed in seconds (keepalives), clawdeploy says when the
// host's watchdog reverts it, reconnects once the link is back, verifies what the host really
// runs, and leaves the lock and the records true.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { cleanupFixtures, createOpenclawRepo } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { printed, runCli } from '../helpers/cli.js';
import { currentGen, hostFile, hostHas, seed, setLink, startCli, until, version, watchdogProcesses } from '../helpers/sshDeploy.js';

const hosts = useTestHosts();
let repo: string;
afterAll(() => cleanupFixtures());

/** Seeds a host, starts `apply --yes`, and cuts the link the moment the activation is started. */
async function cutDuringActivation(name: string, watchdogSeconds: number) {
  const h = await hosts.create(name);
  const s = await seed(h, 'f3-bump-openclaw', repo);
  const run = startCli(s.args('apply', 'staging', '--yes'), { ...s.env, CLAWDEPLOY_WATCHDOG_SECONDS: String(watchdogSeconds) });
  onTestFinished(() => run.kill());
  await run.waitFor(/^-> .*home-manager\/activate$/, 180_000);
  await setLink(h, 'down');
  const cutAt = Date.now();
  expect(hostHas(h, 'lock'), 'the deploy holds the lock').toBe(true);
  const lost = await run.waitFor(/lost the connection to staging/, 90_000);
  const detectedMs = lost.at - cutAt;
  const deadline = /returns staging to generation 1 at (\S+) (\S+) UTC/.exec(lost.text);
  expect(deadline, lost.text).not.toBeNull();
  return { h, ...s, run, cutAt, detectedMs, lost, deadline: Date.parse(`${deadline![1]}T${deadline![2]}Z`) };
}

async function settledTruly(h: TestHost, env: Record<string, string>, outcome: string, hostOutcome: string) {
  expect(await currentGen(h)).toBe(1);
  expect(await version(h)).toBe('2026.6.10');
  expect(hostHas(h, 'lock'), 'the lock is released').toBe(false);
  expect(hostFile(h, 'watchdog-canary')).toBeNull();
  expect(await until(async () => (await watchdogProcesses(h)) === '', 10_000)).toBe(true);
  expect(JSON.parse(hostFile(h, 'last-deploy.json')!)).toMatchObject({ operation: 'apply', outcome: hostOutcome, generation: { number: 1 } });
  const history = JSON.parse((await runCli(['history', 'staging', '--json'], { env })).stdout) as Array<{ outcome: string; generationAfter: { number: number } | null }>;
  expect(history[0]).toMatchObject({ outcome, generationAfter: { number: 1 } });
}

describe.skipIf(!hostsAvailable())('a link lost during activation or validation', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo({ extraVersions: [{ version: '2026.6.12', broken: true }] })).path;
  });

  it('is reported in seconds with the time the watchdog reverts; after the host reverted itself, clawdeploy reconnects and verifies it', async () => {
    const { h, env, run, cutAt, detectedMs, deadline } = await cutDuringActivation('llf', 30);
    console.log(`lost link reported ${(detectedMs / 1000).toFixed(1)} s after the cut`);
    expect(detectedMs).toBeLessThan(60_000);
    expect(deadline).toBeGreaterThan(cutAt);
    expect(deadline).toBeLessThan(cutAt + 31_000);

    // The host reverts on its own while it cannot be reached (its files are read on this machine).
    expect(await until(() => /^done 0 /m.test(hostFile(h, 'watchdog-fired') ?? ''), deadline - Date.now() + 90_000)).toBe(true);
    await setLink(h, 'up');
    const back = Date.now();
    const r = await run.exited;
    console.log(`clawdeploy ended ${((Date.now() - back) / 1000).toFixed(1)} s after the link came back, ${((Date.now() - cutAt) / 1000).toFixed(1)} s after the cut`);
    expect(r.code, printed(r)).toBe(1);
    expect(r.stderr).toMatch(/reconnected to staging after \d+ s/);
    expect(r.stdout).toMatch(/the host reverted itself \(its watchdog\) to generation 1, which is healthy/);
    expect(r.stdout).not.toMatch(/act now/);
    expect(Date.now() - back).toBeLessThan(60_000);
    await settledTruly(h, env, 'rolled-back', 'reverted-by-watchdog');
  }, 300_000);

  it('with the link back before the deadline, clawdeploy disarms the watchdog and rolls back itself: one revert, not two', async () => {
    const { h, env, run, detectedMs, deadline } = await cutDuringActivation('llb', 120);
    expect(detectedMs).toBeLessThan(60_000);
    await setLink(h, 'up');
    const r = await run.exited;
    expect(r.code, printed(r)).toBe(1);
    expect(Date.now()).toBeLessThan(deadline);
    expect(r.stderr).toMatch(/reconnected to staging after \d+ s/);
    expect(r.stdout).toMatch(/rolled back to generation 1, which is healthy/);
    expect(hostFile(h, 'watchdog-fired')).toBeNull();
    await settledTruly(h, env, 'rolled-back', 'rolled-back');
  }, 300_000);

  it('during validation: noticed in seconds, not at the validation deadline; straight to the watchdog, then rolled back and verified', async () => {
    const deadlineMs = 240_000;
    const h = await hosts.create('llv');
    const s = await seed(h, 'f6-bump-broken', repo);
    // F6's gateway never starts: validation keeps retrying until its (long) deadline.
    const run = startCli(s.args('apply', 'staging', '--yes', '--deadline', String(deadlineMs / 1000)), { ...s.env, CLAWDEPLOY_WATCHDOG_SECONDS: String(deadlineMs / 1000) });
    onTestFinished(() => run.kill());
    await run.waitFor(/^\s+validation attempt \d+: 1 failing: /, 180_000);
    await setLink(h, 'down');
    const cutAt = Date.now();
    const lost = await run.waitFor(/lost the connection to staging \(.*returns staging to generation 1 at \S+ \S+ UTC/, deadlineMs / 2);
    console.log(`lost link during validation reported ${((lost.at - cutAt) / 1000).toFixed(1)} s after the cut`);
    expect(lost.at - cutAt).toBeLessThan(60_000);
    const rolling = run.lines.find((l) => /rolling back: validation: lost the connection to staging \(/.test(l.text));
    expect(rolling, run.lines.map((l) => l.text).join('\n')).toBeDefined();
    expect(rolling!.at).toBeLessThanOrEqual(lost.at);

    await setLink(h, 'up');
    const r = await run.exited;
    console.log(`clawdeploy ended ${((Date.now() - cutAt) / 1000).toFixed(1)} s after the cut (validation deadline ${deadlineMs / 1000} s)`);
    expect(r.code, printed(r)).toBe(1);
    expect(Date.now() - cutAt).toBeLessThan(deadlineMs / 2);
    expect(r.stderr).toMatch(/reconnected to staging after \d+ s/);
    expect(r.stdout).toMatch(/deploy failed \(validation: lost the connection to staging \(.+\)\); rolled back to generation 1, which is healthy/);
    expect(r.stdout).not.toMatch(/act now/);
    expect(hostFile(h, 'watchdog-fired')).toBeNull();
    await settledTruly(h, s.env, 'rolled-back', 'rolled-back');
  }, 400_000);
});
