// The link to an ssh host lost while its profile is being switched (set-profile): the switch may
// or may not have run on the host, so clawdeploy says so, reconnects, reads where the profile
// points, puts it back if it was switched, and records what is true. Real netns hosts; the deploy
// runs in this process so the cut can happen at the exact moment (its approver, asked for the
// switch, acts just before the switch runs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { cleanupFixtures, createOpenclawRepo } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { runCli } from '../helpers/cli.js';
import { currentGen, gatewayPid, hostFile, hostHas, hostPids, profileLinkGen, seed, setLink, until, version, watchdogProcesses, type Line } from '../helpers/sshDeploy.js';
import { applyPlan, type DeployDeps, type DeployResult } from '../../src/core/deploy/apply.js';
import { ledgerFor } from '../../src/core/deploy/recordsLedger.js';
import { openRecords } from '../../src/core/records/index.js';
import { openAuditLog } from '../../src/core/exec/audit.js';
import { createRedactor } from '../../src/core/redact/index.js';
import { analyseHost } from '../../src/core/pipeline/planHost.js';

const hosts = useTestHosts();
let repo: string;
afterAll(() => cleanupFixtures());

/** nix-env's process on the host, switching the profile (not the shell that quotes its words). */
const SETTING = /nix-env --profile \S+ --set \/nix\/store\//;

/**
 * Holds Nix's "big lock" of the host's store (flock, exclusive; the host's /nix is rootDir/nix):
 * every nix command there, `nix-env --set` included, waits for it before doing anything.
 */
async function holdStoreLock(h: TestHost): Promise<{ release(): Promise<void> }> {
  const child = spawn('flock', [join(h.rootDir, 'nix/var/nix/db/big-lock'), '-c', 'echo locked; exec cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const closed = new Promise<void>((done) => child.on('close', () => done()));
  await new Promise<void>((held, failed) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => d.includes('locked') && held());
    child.on('close', (code) => failed(new Error(`flock exited ${code} before holding the lock`)));
  });
  return {
    release: async () => {
      child.stdin.end();
      await closed;
    },
  };
}

/**
 * `apply --yes` of F3 (generation 2 over 1) in this process; `beforeSwitch` runs when the switch
 * is approved, right before it runs. The phase messages are kept with when they came.
 */
async function applyWith(h: TestHost, s: Awaited<ReturnType<typeof seed>>, beforeSwitch: () => Promise<void>) {
  const dir = s.env.CLAWDEPLOY_STATE_DIR;
  const records = openRecords(join(dir, 'records.db'));
  const said: Line[] = [];
  const deps: DeployDeps = {
    ledger: ledgerFor(records),
    audit: openAuditLog(join(dir, 'audit.jsonl')),
    redactor: createRedactor({}),
    sshConfig: h.sshConfig,
    approver: async (req) => {
      if (req.step.action === 'set-profile') await beforeSwitch();
      return { approved: true, approver: 'tester (--yes)' };
    },
    onEvent: (e) => {
      if (e.type === 'phase') said.push({ text: e.message, at: Date.now() });
    },
  };
  const { plan, host } = await analyseHost({ flakeDir: s.flake.dir, hostName: 'staging', redact: (x) => x, sshConfig: h.sshConfig });
  expect(plan.generations.next?.number).toBe(2);
  const result: Promise<DeployResult> = applyPlan({ plan, host: host!, flakeDir: s.flake.dir, approvedBy: 'tester' }, deps).finally(() => records.close());
  result.catch(() => undefined); // awaited by the test
  /** The first phase message matching `re`, waited for up to `ms`. */
  const waitSaid = async (re: RegExp, ms: number): Promise<Line> => {
    const found = await until(() => said.some((l) => re.test(l.text)), ms);
    if (!found) throw new Error(`nothing said matching ${re} within ${ms} ms:\n${said.map((l) => l.text).join('\n')}`);
    return said.find((l) => re.test(l.text))!;
  };
  return { result, said, waitSaid };
}

/** The host as before the deploy: generation 1 runs, the same gateway process, nothing left armed or locked. */
async function asBefore(h: TestHost, pid: string | null) {
  expect(await currentGen(h)).toBe(1);
  expect(await version(h)).toBe('2026.6.10');
  expect(gatewayPid(h), 'the gateway was never restarted').toBe(pid);
  expect(hostHas(h, 'lock'), 'the lock is released').toBe(false);
  expect(hostFile(h, 'watchdog-canary')).toBeNull();
  expect(await watchdogProcesses(h)).toBe('');
}

async function lastDeploy(env: Record<string, string>) {
  return (JSON.parse((await runCli(['history', 'staging', '--json'], { env })).stdout) as Array<{ outcome: string; generationAfter: { number: number } | null; failedCheck: string | null }>)[0];
}

describe.skipIf(!hostsAvailable())('a link lost while the profile is switched', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo()).path;
  });

  it('the switch ran on the host: said as unknown at first, then found on reconnecting and put back (never "nothing changed")', async () => {
    const h = await hosts.create('lss');
    const s = await seed(h, 'f3-bump-openclaw', repo);
    const pid = gatewayPid(h);
    // Approved: nix-env starts on the host and waits for the store's lock, held here.
    let lock: { release(): Promise<void> } | null = null;
    const run = await applyWith(h, s, async () => {
      lock = await holdStoreLock(h);
    });
    expect(await until(async () => lock !== null && (await hostPids(h, SETTING)).length > 0, 180_000), 'nix-env --set waits on the host').toBe(true);
    await setLink(h, 'down');
    const cutAt = Date.now();
    await lock!.release();
    // With no link, the host finishes the switch: its profile names generation 2 (read on this machine).
    expect(await until(() => profileLinkGen(h) === 2, 60_000)).toBe(true);
    const lost = await run.waitSaid(/lost the connection to staging while switching the profile/, 90_000);
    console.log(`lost link during set-profile reported ${((lost.at - cutAt) / 1000).toFixed(1)} s after the cut`);
    expect(lost.at - cutAt).toBeLessThan(60_000);
    expect(lost.text).toMatch(
      /its profile is on generation 1, as before, or on generation 2 \(switched but never activated: the host still runs generation 1\); no watchdog is armed yet; reconnecting until \S+ \S+ UTC/,
    );

    await setLink(h, 'up');
    const r = await run.result;
    expect(r.outcome, r.message).toBe('failed');
    expect(r.exitCode).toBe(1);
    expect(r.message).toMatch(
      /^the link to staging was lost while switching the profile \(.+\); reconnected: nix-env had switched the profile to generation 2 \(never activated\); the profile was put back to generation 1, which still runs: the host is as before$/,
    );
    expect(r.message).not.toMatch(/nothing on the host changed/);
    expect(run.said.some((l) => /^reconnected to staging after \d+ s$/.test(l.text))).toBe(true);
    await asBefore(h, pid);
    expect(await lastDeploy(s.env)).toMatchObject({ outcome: 'failed', generationAfter: { number: 1 }, failedCheck: expect.stringMatching(/^set-profile: lost the connection to staging \(/) });
  }, 400_000);

  it('the switch never reached the host: after reconnecting it says the profile was not switched', async () => {
    const h = await hosts.create('lsn');
    const s = await seed(h, 'f3-bump-openclaw', repo);
    const pid = gatewayPid(h);
    let cutAt = 0;
    const run = await applyWith(h, s, async () => {
      await setLink(h, 'down');
      cutAt = Date.now();
    });
    const lost = await run.waitSaid(/lost the connection to staging while switching the profile/, 180_000);
    expect(lost.at - cutAt).toBeLessThan(60_000);
    expect(lost.text).toMatch(/or on generation 2 \(switched but never activated/);
    await setLink(h, 'up');
    const r = await run.result;
    expect(r.outcome, r.message).toBe('failed');
    expect(r.exitCode).toBe(1);
    expect(r.message).toMatch(/^the link to staging was lost while switching the profile \(.+\); reconnected: the profile was not switched, nothing on the host changed$/);
    // No generation 2 was ever made.
    expect(readdirSync(join(h.rootDir, 'nix/var/nix/profiles/per-user/root'))).not.toContain('home-manager-2-link');
    await asBefore(h, pid);
    expect(await lastDeploy(s.env)).toMatchObject({ outcome: 'failed', generationAfter: { number: 1 } });
  }, 400_000);
});
