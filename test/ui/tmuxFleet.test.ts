// `clawdeploy apply --on` in a real 80x24 terminal (tmux) on four netns ssh hosts: the fleet view
// instead of the printer. A declined canary changes nothing; then the canary and wave 2 approved
// in the view, a host of wave 2 failing its validation: its own rollback, the rest of its wave
// rolled back as it happens, the last wave never started, and the CLI's table under the view's
// last frame. Skipped without tmux or netns hosts. UPDATE_SCREENS=1 refreshes docs/screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, materializeFlake, NIX_ENV, SECRET_FILES, tempDir } from '../helpers/fixtures.js';
import { hostsAvailable, useTestHosts, type TestHost } from '../helpers/hosts.js';
import { buildAt } from '../../src/demo/seed.js';
import { nixSshEnv } from '../../src/core/transport/index.js';
import { runCli } from '../helpers/cli.js';
import { PROFILE, must } from '../helpers/sshDeploy.js';
import { HAS_TMUX, ROOT, saveScreen, terminal, type Terminal } from '../helpers/tmux.js';

const NAMES = ['tf-a', 'tf-b', 'tf-c', 'tf-d'] as const;
const testHosts = useTestHosts();

let hosts: Record<string, TestHost>;
let gen1: string;
let args: string;
let env: Record<string, string>;
let term: Terminal;

/** What a host's profile points at: the base generation ('old') or the bump ('new'). */
const running = (n: string) => {
  const h = hosts[n]!;
  const link = readlinkSync(join(h.rootDir, PROFILE));
  return readlinkSync(join(h.rootDir, dirname(PROFILE), link)) === gen1 ? 'old' : 'new';
};

describe.skipIf(!HAS_TMUX || !hostsAvailable())('the fleet view in tmux (80x24)', () => {
  beforeAll(async () => {
    // The binary runs the bundle in dist/: build it from the current sources.
    await execa('node', ['.ci/build.mjs'], { cwd: ROOT });
    const repo = (await createOpenclawRepo()).path;
    const made = await Promise.all(NAMES.map((n) => testHosts.create(n)));
    hosts = Object.fromEntries(made.map((h) => [h.name, h]));
    // tf-a is the canary by its tag; the rest go in waves of two.
    const inventory = Object.fromEntries(made.map((h) => [h.name, { target: h.target, tags: h.name === 'tf-a' ? ['canary', 'edge'] : ['edge'] }]));
    const flake = await materializeFlake('f10-fleet-bump', { openclawRepo: repo, vars: { FLEET: JSON.stringify(inventory), FLEET_PORT: '18789', FLEET_PROFILE: PROFILE, SECRETS_DIR: '/run/agenix' } });
    gen1 = await buildAt(flake.dir, 'homeConfigurations.fleet.activationPackage', flake.baseRev);
    const sshConfig = join(tempDir('fleet-ssh'), 'config');
    writeFileSync(sshConfig, made.map((h) => readFileSync(h.sshConfig, 'utf8')).join('\n'));
    await Promise.all(
      made.map(async (h) => {
        for (const s of ['openclaw-gateway-token', 'anthropic', 'telegram-staging']) await h.writeFile(`/run/agenix/${s}`, SECRET_FILES[s]!, 0o600);
        await execa('nix', ['copy', '--no-check-sigs', '--to', h.transport.storeUrl!, gen1], { env: { ...process.env, ...NIX_ENV, ...nixSshEnv(h.transport) } });
        await must(h, ['nix-env', '--profile', PROFILE, '--set', gen1]);
        await must(h, [`${PROFILE}/activate`]);
      }),
    );
    env = { ...NIX_ENV, CLAWDEPLOY_STATE_DIR: tempDir('state') };
    args = `--ssh-config ${sshConfig} apply --on @edge --parallel 2 --deadline 8 --flake ${flake.dir}`;
    term = terminal('fleet', env);
  }, 600_000);
  afterAll(async () => {
    await term?.close();
    cleanupFixtures();
  });

  it('a declined canary stops the rollout before it: nothing changes (exit 3)', async () => {
    await term.start('decline', args);
    // Planning builds the bump once (the next run finds it built).
    await term.waitFor('decline', [/── canary \(tf-a\), wave 1 of 3/, /run this wave\? y yes/], 400_000);
    await term.keys('decline', 'n');
    const end = await term.waitFor('decline', [/canary \(tf-a\), wave 1 of 3 was not approved: the rollout stopped before it/, /EXIT 3/]);
    expect(end).toMatch(/not approved: the rollout stopped/);
    expect(NAMES.map(running)).toEqual(['old', 'old', 'old', 'old']);
  }, 600_000);

  it('approve each wave in the view; a failing host of wave 2: the wave rolled back as it happens, wave 3 never starts (exit 1)', async () => {
    // tf-c's telegram token is empty: its channel cannot start on the new generation.
    await hosts['tf-c']!.writeFile('/run/agenix/telegram-staging', '', 0o600);
    await term.start('rollout', args);
    const ask = await term.waitFor(
      'rollout',
      [/── canary \(tf-a\), wave 1 of 3, rollout [0-9a-f]{8}/, /tf-a \(staging, ssh:\/\/root@[\d.]+\): generation \d+ -> \d+/, /\$ ssh root@[\d.]+ -- nix-env --profile/, /run this wave\? y yes/],
      300_000,
    );
    for (const l of ask.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
    saveScreen('fleet-approval.txt', `$ clawdeploy apply --on @edge --parallel 2\n\n${ask}`);
    await term.keys('rollout', 'y');

    await term.waitFor('rollout', [/── wave 2 of 3, rollout/, /tf-b \(staging/, /tf-c \(staging/, /run this wave\? y yes/], 300_000);
    await term.keys('rollout', 'y');
    const runningWave = await term.waitFor('rollout', [/WAVE 2 OF 3/, /canary \(tf-a\)\s+passed: every host validated/, /tf-a\s+succeeded\s+ok: \d+ checks/, /▶ wave 2\s+running/, /tf-d\s+pending/]);
    for (const l of runningWave.split('\n')) expect(l.length).toBeLessThanOrEqual(80);

    const back = await term.waitFor('rollout', [/WAVE 2 OF 3: ROLLING BACK/, /▶ wave 2\s+FAILED: rolling back the wave/, /tf-b\s+rolling-back/, /tf-c\s+(rolled-back|failed)/], 300_000);
    saveScreen('fleet-rollback.txt', `$ clawdeploy apply --on @edge --parallel 2\n\n-- wave 2 failed --\n\n${back}`);

    // The view's last frame, then the CLI's table and message under it.
    const end = await term.waitFor('rollout', [/EXIT 1/, /tf-b\s+2\s+\d+\s+\d+\s+reverted/, /tf-d\s+3\s+-\s+-\s+not-started/], 300_000);
    // The terminal wraps the message at 80 columns.
    expect(end.replace(/\n/g, '')).toMatch(/wave 2 of 3 failed on tf-c: the rollout stopped; rolled back tf-b; earlier waves keep the new generation/);
    expect(NAMES.map(running)).toEqual(['new', 'old', 'old', 'old']);
    const history = await runCli(['history'], { env });
    expect(history.stdout).toMatch(/@edge\s+stopped\s+1\/4 current/);
  }, 900_000);
});
