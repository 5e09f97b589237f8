// A deploy killed (kill -9) during validation on an ssh host leaves its watchdog armed. It must be
// visible (status, the canary on the host), honoured by `apply --resume`, disarmed by `rollback`,
// and a revert it does must be written on the host and reported by the next command.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { cleanupFixtures, createOpenclawRepo } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { printed, runCli } from '../helpers/cli.js';
import { currentGen, gatewayPid, hostFile, must, PROFILE, seed, startCli, until, version, watchdogProcesses } from '../helpers/sshDeploy.js';

const hosts = useTestHosts();
let repo: string;
afterAll(() => cleanupFixtures());

/** Seeds a host, starts `apply --yes` and kills it -9 as soon as validation starts. */
async function killedDuringValidation(name: string, fixture: string, watchdogSeconds: number) {
  const h = await hosts.create(name);
  const s = await seed(h, fixture, repo);
  const env = { ...s.env, CLAWDEPLOY_WATCHDOG_SECONDS: String(watchdogSeconds) };
  const run = startCli(s.args('apply', 'staging', '--yes', '--deadline', '300'), env);
  onTestFinished(() => run.kill());
  await run.waitFor(/^== validating/, 180_000);
  run.kill();
  const killedAt = Date.now();
  await run.exited;
  const canary = hostFile(h, 'watchdog-canary');
  expect(canary, 'the killed deploy armed a watchdog').not.toBeNull();
  const history = JSON.parse((await runCli(['history', 'staging', '--json'], { env: s.env })).stdout) as Array<{ id: string; outcome: string }>;
  expect(history[0]).toMatchObject({ outcome: 'interrupted' });
  // When the watchdog fires, as the canary says (or, from a canary that does not say, about when).
  const deadline = (() => {
    try {
      return Date.parse((JSON.parse(canary!) as { deadline: string }).deadline);
    } catch {
      return killedAt + watchdogSeconds * 1000;
    }
  })();
  return { h, ...s, env, canary: canary!, id: history[0]!.id, deadline };
}

const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)} ${new Date(ms).toISOString().slice(11, 19)} UTC`;

const gone = async (h: TestHost) => (await watchdogProcesses(h)) === '';

describe.skipIf(!hostsAvailable())('a watchdog left armed by a killed deploy', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo({ extraVersions: [{ version: '2026.6.12', broken: true }] })).path;
  });

  it('status shows it armed with its deadline; its revert is written on the host and reported by the next status', async () => {
    const { h, cli, canary, id, deadline } = await killedDuringValidation('wds', 'f6-bump-broken', 30);

    const armed = await cli('status', 'staging');
    expect(armed.stdout, printed(armed)).toContain(`WATCHDOG: the watchdog of deployment ${id.slice(0, 8)} returns staging to generation 1 at ${utc(deadline)}`);
    expect(armed.stdout).toMatch(/\(in \d+ s\) unless confirmed/);
    const json = JSON.parse((await cli('status', 'staging', '--json')).stdout) as Array<{ watchdog: { state: string; deadline: string; revertTo: number } }>;
    expect(json[0]!.watchdog).toMatchObject({ state: 'armed', deadline: new Date(deadline).toISOString(), revertTo: 1 });
    // The canary on the host says it too, for another operator.
    expect(JSON.parse(canary)).toMatchObject({ deploymentId: id, revertTo: 1 });

    // Nobody confirms: the host returns on its own, and writes down that it did.
    expect(await until(() => /^done 0 /m.test(hostFile(h, 'watchdog-fired') ?? ''), deadline - Date.now() + 90_000)).toBe(true);
    expect(hostFile(h, 'watchdog-canary')).toBeNull();
    expect(hostFile(h, 'watchdog-fired')).toMatch(new RegExp(`"deploymentId":"${id}"[^\\n]*\\nfired \\S+Z\\ndone 0 \\S+Z\\n$`));
    expect(await currentGen(h)).toBe(1);
    expect(await version(h)).toBe('2026.6.10');

    const after = await cli('status', 'staging');
    expect(after.stdout, printed(after)).toMatch(new RegExp(`WATCHDOG: deployment ${id.slice(0, 8)} was never confirmed: its watchdog returned staging to generation 1 at \\S+ \\S+ UTC`));
    const afterJson = JSON.parse((await cli('status', 'staging', '--json')).stdout) as Array<{ watchdog: { state: string; firedAt: string } }>;
    expect(afterJson[0]!.watchdog).toMatchObject({ state: 'reverted', firedAt: expect.stringMatching(/Z$/) });
  }, 300_000);

  it('apply --resume waits for it, then plans from where the host really is and deploys again', async () => {
    const { h, cli, id } = await killedDuringValidation('wdr', 'f3-bump-openclaw', 20);
    const r = await cli('apply', 'staging', '--yes', '--resume');
    expect(r.stdout, printed(r)).not.toMatch(/nothing to deploy/);
    expect(r.code, printed(r)).toBe(0);
    expect(r.stderr).toContain(`the watchdog of deployment ${id.slice(0, 8)} returns staging to generation 1 at`);
    expect(r.stderr).toMatch(/waiting for it before planning again/);
    expect(r.stderr).toMatch(/its watchdog returned staging to generation 1/);
    // Deployed again and confirmed (nix-env reuses generation 2: the same store path as its newest).
    const made = Number(/deployed staging: generation (\d+) is healthy/.exec(r.stdout)?.[1]);
    expect(await currentGen(h)).toBe(made);
    expect(await version(h)).toBe('2026.6.11');
    expect(hostFile(h, 'watchdog-canary')).toBeNull();
    expect(await until(() => gone(h), 10_000)).toBe(true);
    expect(JSON.parse(await must(h, ['cat', `${PROFILE}.clawdeploy/last-deploy.json`]))).toMatchObject({ outcome: 'succeeded', generation: { number: made } });
  }, 300_000);

  it('rollback disarms it: the old watchdog never switches or activates the host again', async () => {
    const { h, cli, id, deadline } = await killedDuringValidation('wdb', 'f6-bump-broken', 30);
    const r = await cli('rollback', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stdout).toMatch(/rolled staging back to generation 1, which is healthy/);
    const pid = gatewayPid(h);
    expect(pid).not.toBeNull();
    // Disarmed, the watchdog ends within a second or two; armed, it would live until its deadline
    // and then switch and activate again (a new gateway pid).
    expect(await until(() => gone(h), deadline - Date.now() + 60_000)).toBe(true);
    expect(gatewayPid(h), 'the gateway was not restarted again').toBe(pid);
    expect(Date.now()).toBeLessThan(deadline);
    expect(hostFile(h, 'watchdog-fired')).toBeNull();
    expect(r.stderr).toContain(`disarmed a leftover watchdog: the watchdog of deployment ${id.slice(0, 8)} returns staging to generation 1`);
    expect(await currentGen(h)).toBe(1);
    expect(await version(h)).toBe('2026.6.10');
    const status = await cli('status', 'staging');
    expect(status.stdout, printed(status)).not.toMatch(/WATCHDOG/);
  }, 300_000);
});
