// An unreachable host is bad input (exit 2), named by its inventory name and never by its address:
// at the first probe, and when the link drops after it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, tempDir } from '../helpers/fixtures.js';
import { printed, runCli } from '../helpers/cli.js';
import { oneLineError } from '../helpers/oneLineError.js';

let repo: string;
beforeAll(async () => {
  repo = (await createOpenclawRepo()).path;
});
afterAll(() => cleanupFixtures());

const ADDRESS = '203.0.113.7'; // TEST-NET-3: never a real host

/** A PATH whose `ssh` answers the first command (clawdeploy's reachability probe), then fails every one as ssh does for a host gone away. */
function linkDropsAfterProbe(): string {
  const dir = tempDir('ssh-drops');
  const script = `#!/bin/sh
n=$(cat "${dir}/calls" 2>/dev/null || echo 0)
echo $((n + 1)) > "${dir}/calls"
[ "$n" = 0 ] && exit 0
echo "ssh: connect to host ${ADDRESS} port 22: Connection refused" >&2
exit 255
`;
  writeFileSync(join(dir, 'ssh'), script, { mode: 0o755 });
  return `${dir}:${process.env['PATH'] ?? ''}`;
}

const flakeFor = (target: string) => materializeFlake('f1-single-staging', { openclawRepo: repo, vars: { TARGET_staging: target, SECRETS_DIR: '/run/agenix' } });

describe('an unreachable host', () => {
  it('is named by its inventory name when the link drops after the first probe (plan, status)', async () => {
    const flake = await flakeFor(`ssh://root@${ADDRESS}`);
    const named = `host 'staging': unreachable over ssh://root@${ADDRESS} (Connection refused)`;

    const plan = await runCli(['plan', 'staging', '--flake', flake.dir], { env: { PATH: linkDropsAfterProbe(), CLAWDEPLOY_STATE_DIR: tempDir('state') } });
    oneLineError(plan, 2, new RegExp(`^clawdeploy: ${named.replace(/[.()/]/g, '\\$&')}$`));

    const status = await runCli(['status', 'staging', '--flake', flake.dir], { env: { PATH: linkDropsAfterProbe(), CLAWDEPLOY_STATE_DIR: tempDir('state') } });
    expect(status.stdout).toContain(`unreachable: ${named}`);
    expect(printed(status)).not.toContain(`host '${ADDRESS}'`);
  });

  it('makes smoke exit 2 naming the host, not 1 with a table of checks that could not run', async () => {
    const flake = await flakeFor('ssh://root@127.0.0.1:1'); // a closed port on loopback
    const r = await runCli(['smoke', 'staging', '--flake', flake.dir], { env: { CLAWDEPLOY_STATE_DIR: tempDir('state') } });
    oneLineError(r, 2, /^clawdeploy: host 'staging': unreachable over ssh:\/\/root@127\.0\.0\.1:1 \(Connection refused\)$/);
    expect(r.stdout).toBe('');
  });
});
