// Over ssh, the watchdog is armed between the profile switch and the activation: an activation
// that does not happen (here a policy's activation freeze) disarms it, puts the profile back and
// restarts nothing (issue 10, item 4). A real netns host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts } from '../helpers/hosts.js';
import { printed } from '../helpers/cli.js';
import { currentGen, gatewayPid, hostFile, seed, until, version, watchdogProcesses } from '../helpers/sshDeploy.js';
import { POLICY_FILE } from '../../src/core/exec/policy/load.js';
import { DENY_ACTIVATE } from '../deploy/localDeploy.js';

const hosts = useTestHosts();
let repo: string;
afterAll(() => cleanupFixtures());

describe.skipIf(!hostsAvailable())('switch and activate over ssh', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo()).path;
  });

  it('an activation the policy denies: the watchdog is disarmed, the profile put back, the gateway untouched (exit 3)', async () => {
    const h = await hosts.create('sud');
    const s = await seed(h, 'f3-bump-openclaw', repo);
    writeFileSync(join(s.flake.dir, POLICY_FILE), DENY_ACTIVATE);
    const pid = gatewayPid(h);
    const r = await s.cli('apply', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(3);
    expect(r.stdout).toMatch(/activate denied: denied by policy rule 'activation-freeze'.*; the profile was put back to generation 1, which still runs: the host is as before/);
    expect(await currentGen(h)).toBe(1);
    expect(await version(h)).toBe('2026.6.10');
    expect(gatewayPid(h)).toBe(pid);
    expect(hostFile(h, 'watchdog-canary')).toBeNull();
    expect(await until(async () => (await watchdogProcesses(h)) === '', 10_000)).toBe(true);
    expect(hostFile(h, 'lock')).toBeNull();
  });
});
