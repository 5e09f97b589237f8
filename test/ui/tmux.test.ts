// The real binary in a real 80x24 terminal (tmux) on a local lab host: plan on screen, confirm
// each step, apply, the health table; then `clawdeploy rollback` in incident mode. Offline (no
// API key). Skipped when tmux is missing (CI installs it). UPDATE_SCREENS=1 refreshes docs/screens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanupFixtures, createOpenclawRepo, NIX_ENV, tempDir } from '../helpers/fixtures.js';
import { localHost, type LocalHost } from '../helpers/localHost.js';
import { runCli } from '../helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `clawdeploy-ui-${process.pid}`;
const tmux = (...args: string[]) => execa('tmux', ['-L', SOCKET, ...args]);

let h: LocalHost;
let launcher: string;

/** Starts `clawdeploy ARGS` as the lab host's operator in a detached 80x24 session. */
async function start(name: string, args: string): Promise<void> {
  await tmux('new-session', '-d', '-x', '80', '-y', '24', '-s', name, `sh ${launcher} ${args}`);
}
const screen = async (name: string) => (await tmux('capture-pane', '-p', '-t', name)).stdout;
/** Polls the screen until it matches every pattern, or fails with the last screen shown. */
async function waitFor(name: string, patterns: RegExp[], ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = await screen(name);
    if (patterns.every((p) => p.test(last))) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screen never matched ${patterns.join(' ')}:\n${last}`);
}
const keys = (name: string, ...k: string[]) => tmux('send-keys', '-t', name, ...k);
/** Text then Enter, as two key events (as typed). */
const typeLine = async (name: string, text: string) => {
  await tmux('send-keys', '-t', name, '-l', text);
  await keys(name, 'Enter');
};
const save = (file: string, text: string) => {
  if (process.env['UPDATE_SCREENS']) writeFileSync(join(ROOT, 'docs/screens', file), `${text.replace(/[ \t]+$/gm, '').trimEnd()}\n`);
};

describe.skipIf(!HAS_TMUX)('the ink session in tmux (80x24)', () => {
  beforeAll(async () => {
    // The binary runs the bundle in dist/: build it from the current sources.
    await execa('node', ['.ci/build.mjs'], { cwd: ROOT });
    const repo = (await createOpenclawRepo()).path;
    h = await localHost(repo, 'f3-bump-openclaw', { seed: true });
    launcher = join(tempDir('tmux'), 'run.sh');
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const env = { ...NIX_ENV, ...h.env, LANG: 'C.UTF-8', TERM: 'xterm-256color', PATH: process.env['PATH'] ?? '' };
    writeFileSync(
      launcher,
      [
        // A person's terminal, not CI: ink draws only the last frame when it sees CI=true.
        'unset ANTHROPIC_API_KEY OPENAI_API_KEY CLAWDEPLOY_PROVIDER NO_COLOR FORCE_COLOR CI CONTINUOUS_INTEGRATION GITHUB_ACTIONS BUILD_NUMBER RUN_ID',
        ...Object.entries(env).map(([k, v]) => `export ${k}=${q(v)}`),
        `cd ${q(ROOT)}`,
        'node bin/clawdeploy.mjs "$@"',
        'echo "EXIT $?"',
        'sleep 600',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    if (HAS_TMUX) await tmux('kill-server').catch(() => undefined);
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
