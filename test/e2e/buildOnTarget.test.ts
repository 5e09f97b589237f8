// --build-on-target over ssh (issue 12, deploy-rs's remoteBuild): the new generation is built in
// a network-namespace host's own store, planned and applied from there; no closure is copied.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupFixtures, createOpenclawRepo } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts } from '../helpers/hosts.js';
import { printed } from '../helpers/cli.js';
import { PROFILE, currentGen, must, seed, version } from '../helpers/sshDeploy.js';
import type { Plan } from '../../src/core/plan/schema.js';

const hosts = useTestHosts();
let repo: string;
afterAll(() => cleanupFixtures());

describe.skipIf(!hostsAvailable())('build on target over ssh', () => {
  beforeAll(async () => {
    repo = (await createOpenclawRepo()).path;
  });

  it('F3: plans and applies with the build in the host store, never copying a closure from here', async () => {
    const h = await hosts.create('bot');
    const { cli } = await seed(h, 'f3-bump-openclaw', repo);

    const planned = await cli('plan', 'staging', '--build-on-target', '--json');
    expect(planned.code, printed(planned)).toBe(0);
    const plan = JSON.parse(planned.stdout) as Plan;
    expect(plan.buildOnTarget).toBe(true);
    expect(plan.steps.apply.map((s) => s.action)).toEqual(['build-on-target', 'set-profile', 'activate']);
    expect(plan.steps.apply[0]!.argv).toContain(`ssh-ng://root@${h.address}`);
    expect(plan.findings.find((f) => f.code === 'built-on-target')?.message).toMatch(/built in the store of 'staging'/);
    // The analysis read the build on the host: the version change and its closure diff (from the host's store).
    expect(plan.changes.find((c) => c.kind === 'openclaw-version')?.summary).toMatch(/2026\.6\.10 → 2026\.6\.11/);
    expect(plan.changes.find((c) => c.kind === 'closure')?.summary).toMatch(/openclaw/);
    // Built there, not installed: the host's profile still points at generation 1.
    expect((await h.run(['test', '-e', `${plan.generations.next!.storePath}/activate`])).exitCode).toBe(0);
    expect(await currentGen(h)).toBe(1);

    const r = await cli('apply', 'staging', '--yes', '--build-on-target');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stderr).toMatch(/ build --eval-store auto --store ssh-ng:\/\/root@/);
    expect(r.stderr).not.toMatch(/ copy --to /);
    expect(await currentGen(h)).toBe(2);
    expect(await version(h)).toBe('2026.6.11');
    expect((await must(h, ['readlink', '-f', PROFILE])).trim()).toBe(plan.generations.next!.storePath);
  });
});
