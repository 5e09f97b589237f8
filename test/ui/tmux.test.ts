// The real binary in a real 80x24 terminal (tmux) on a local lab host: plan on screen, confirm
// each step, apply, the health table; then `clawdeploy rollback` in incident mode. Offline (no
// API key). Skipped when tmux is missing (CI installs it). UPDATE_SCREENS=1 refreshes docs/screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { cleanupFixtures, createOpenclawRepo, NIX_ENV } from '../helpers/fixtures.js';
import { localHost, type LocalHost } from '../helpers/localHost.js';
import { runCli } from '../helpers/cli.js';
import { HAS_TMUX, ROOT, saveScreen as save, terminal, type Terminal } from '../helpers/tmux.js';

let h: LocalHost;
let term: Terminal;
const start = (name: string, args: string) => term.start(name, args);
const waitFor = (name: string, patterns: RegExp[], ms?: number) => term.waitFor(name, patterns, ms);
const keys = (name: string, ...k: string[]) => term.keys(name, ...k);
const typeLine = (name: string, text: string) => term.typeLine(name, text);

describe.skipIf(!HAS_TMUX)('the ink session in tmux (80x24)', () => {
  beforeAll(async () => {
    // The binary runs the bundle in dist/: build it from the current sources.
    await execa('node', ['.ci/build.mjs'], { cwd: ROOT });
    const repo = (await createOpenclawRepo()).path;
    h = await localHost(repo, 'f3-bump-openclaw', { seed: true });
    term = terminal('ui', { ...NIX_ENV, ...h.env });
  });
  afterAll(async () => {
    await term?.close();
    await h?.stop();
    cleanupFixtures();
  });

  it('chat: plan, confirm each step, apply, health table; then a guided rollback', async () => {
    await start('deploy', `chat staging --flake ${h.flake.dir}`);
    const plan = await waitFor('deploy', [/staging \(staging\)\s+READY/, /OpenClaw 2026\.6\.10 → 2026\.6\.11/, /type a question/]);
    for (const l of plan.split('\n')) expect(l.length).toBeLessThanOrEqual(80);

    await typeLine('deploy', '/apply');
    const confirm = await waitFor('deploy', [/confirm apply-2 \(mutate\) on staging/, /\$ nix-env --profile/, /run it\? y yes/, /\[\?\] set-profile\s+awaiting your approval/]);
    save('plan-and-confirm.txt', `$ clawdeploy chat staging\n\n${plan}\n\n-- after /apply --\n\n${confirm}`);
    // One question for the switch and its activation (both commands shown): no second confirm.
    expect(confirm.replace(/[\s\\]+/g, '')).toContain(`&&${h.profile}/activate`);
    await keys('deploy', 'y');
    const done = await waitFor('deploy', [/deployed staging: generation 2 is healthy/, /channels-probe\s+ok/, /channel:telegram\s+ok/], 90_000);
    expect(done).toMatch(/CHECK\s+STATE\s+DETAIL/);
    await typeLine('deploy', '/quit');
    await waitFor('deploy', [/EXIT 0/]);
    // Recorded in the ledger like a plain `clawdeploy apply`.
    const history = await runCli(['history', 'staging', '--json'], { env: h.env });
    expect(JSON.parse(history.stdout)[0]).toMatchObject({ host: 'staging', operation: 'apply', outcome: 'succeeded', generationAfter: { number: 2 } });

    // A run without a terminal first writes `rollback`'s code cache: the session must start from
    // it too (it once crashed: a script restored from a code cache has no dynamic import callback).
    const cached = await runCli(['rollback', 'no-such-host', '--flake', h.flake.dir], { env: { ...h.env, CLAWDEPLOY_TIMING: '1' } });
    expect(cached.code).toBe(2);
    await start('incident', `rollback staging --flake ${h.flake.dir}`);
    const incident = await waitFor('incident', [
      /INCIDENT/,
      /2\s+\S+ \S+\s+current, last known good/,
      /1\s+\S+ \S+\s+<- target/,
      /Advice/,
      /Roll back to generation 1/,
      /confirm rollback-1 \(destructive\)/,
    ]);
    save('incident-rollback.txt', `$ clawdeploy rollback staging\n\n${incident}`);
    // Ctrl-C at the question asks what to do; "continue" keeps the question open.
    await keys('incident', 'C-c');
    await waitFor('incident', [/s stop after the current step\s+r roll back\s+c continue/]);
    await keys('incident', 'c');
    await waitFor('incident', [/run it\? y yes/]);
    await keys('incident', 'y');
    await waitFor('incident', [/rolled staging back to generation 1, which is healthy/, /channel:telegram\s+ok/], 90_000);
    await typeLine('incident', '/quit');
    await waitFor('incident', [/EXIT 0/]);
    const after = await runCli(['history', 'staging', '--json'], { env: h.env });
    expect(JSON.parse(after.stdout)[0]).toMatchObject({ operation: 'rollback', outcome: 'succeeded', generationAfter: { number: 1 } });
    const gens = await execa('nix-env', ['--profile', h.profile, '--list-generations'], { env: NIX_ENV });
    expect(
      gens.stdout
        .split('\n')
        .find((l) => l.includes('(current)'))
        ?.trim()
        .split(/\s+/)[0],
    ).toBe('1');
  });
});
