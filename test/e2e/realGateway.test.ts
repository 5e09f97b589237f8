// The real tier: clawdeploy against the real OpenClaw 2026.9.6 (npm `openclaw`, Node 24), packaged
// by the nix-openclaw stand-in as nix-openclaw does, with its real Telegram channel pointed at a
// fake Bot API on loopback. A real gateway takes 20-60 s to be ready and most of both cores, so
// this file runs its deploys one after another on one local host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NIX_ENV, SECRET_FILES } from '../helpers/fixtures.js';
import { useLocalHosts, type LocalHost } from '../helpers/localHost.js';
import { printed, type CliResult } from '../helpers/cli.js';
import { realOpenclaw, skipReal } from '../helpers/realOpenclaw.js';
import { startTelegramApi, type TelegramApi } from '../helpers/telegramApi.js';

const REAL = realOpenclaw ? [{ version: '2026.9.6', real: { node: realOpenclaw.node, entry: realOpenclaw.entry } }] : [];
const { make } = useLocalHosts({ extraVersions: REAL });
const SECRETS = ['openclaw-gateway-token', 'telegram-staging', 'telegram-revoked'];
const LIVE_TOKEN = SECRET_FILES['telegram-staging']!;

async function currentGeneration(profile: string): Promise<number> {
  const r = await execa('nix-env', ['--profile', profile, '--list-generations'], { env: NIX_ENV });
  return Number(
    r.stdout
      .split('\n')
      .find((l) => l.includes('(current)'))
      ?.trim()
      .split(/\s+/)[0],
  );
}

describe.skipIf(skipReal)('the real OpenClaw gateway on a local host', () => {
  let telegram: TelegramApi;
  let h: LocalHost;
  const run = async (command: string, ...args: string[]): Promise<CliResult> => {
    const r = await h.cli(command, ...args);
    // No secret of the fixtures may reach the output.
    for (const value of Object.values(SECRET_FILES)) expect(printed(r)).not.toContain(value.trim());
    return r;
  };

  beforeAll(async () => {
    telegram = await startTelegramApi({ good: [LIVE_TOKEN] });
  });
  afterAll(async () => {
    await h?.stop();
    await telegram?.stop();
  });

  it('applies a generation whose real gateway and Telegram channel come up: healthy, and smoke passes', async () => {
    h = await make('f7-revoked-token', { secrets: SECRETS, vars: { TELEGRAM_API_ROOT: telegram.apiRoot } });
    // Generation 1 is the base (the live token); the working tree holds the revoked one.
    const base = await execa('git', ['stash', '-q'], { cwd: h.flake.dir });
    expect(base.exitCode).toBe(0);
    const r = await run('apply', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stdout).toMatch(/deployed staging: generation 1 is healthy/);
    expect(r.stdout).toMatch(/every channel works: telegram/);
    expect((await telegram.calls()).some((c) => c.method === 'getMe' && c.status === 200)).toBe(true);
    const smoke = await run('smoke', 'staging');
    expect(smoke.code, printed(smoke)).toBe(0);
    expect(smoke.stdout).toMatch(/telegram/);
  }, 400_000);

  it('a generation whose bot token the API answers 401 for fails validation naming telegram, and is rolled back to a healthy generation 1', async () => {
    expect((await execa('git', ['stash', 'pop', '-q'], { cwd: h.flake.dir })).exitCode).toBe(0);
    const r = await run('apply', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(1);
    expect(r.stdout).toMatch(/telegram/);
    expect(r.stdout).toMatch(/rolled back to generation 1, which is healthy/);
    expect(await currentGeneration(h.profile)).toBe(1);
    expect((await telegram.calls()).some((c) => c.status === 401)).toBe(true);
  }, 600_000);

  it('smoke fails on a dead channel (the API starts answering 401) and names it', async () => {
    await telegram.setBad([LIVE_TOKEN]);
    try {
      const r = await run('smoke', 'staging');
      expect(r.code, printed(r)).toBe(1);
      expect(r.stdout).toMatch(/telegram/);
    } finally {
      await telegram.setGood([LIVE_TOKEN]);
    }
  }, 300_000);

  it('a good change deploys over the blocked channel (the restart clears it), then a drill goes back and forth, healthy both ways', async () => {
    // The base flake with a second Telegram user allowed (F7 -> f7-allow-user).
    expect((await execa('git', ['checkout', '-q', 'flake.nix'], { cwd: h.flake.dir })).exitCode).toBe(0);
    const flakeNix = join(h.flake.dir, 'flake.nix');
    writeFileSync(flakeNix, readFileSync(flakeNix, 'utf8').replace('allowFrom = [ 12345678 ];', 'allowFrom = [ 12345678 87654321 ];'));
    const r = await run('apply', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stdout).toMatch(/deployed staging: generation 3 is healthy/);
    expect(r.stdout).toMatch(/every channel works: telegram/);
    const d = await run('drill', 'staging', '--yes');
    expect(d.code, printed(d)).toBe(0);
    expect(d.stdout).toMatch(/drill passed on staging: back to generation 1 and forward to 3/);
    expect(await currentGeneration(h.profile)).toBe(3);
  }, 900_000);

  it('rollback returns to the last known good generation and verifies the real gateway and its channel', async () => {
    const r = await run('rollback', 'staging', '--yes');
    expect(r.code, printed(r)).toBe(0);
    expect(r.stdout).toMatch(/rolled staging back to generation 1, which is healthy/);
    expect(await currentGeneration(h.profile)).toBe(1);
    expect((await run('smoke', 'staging')).code).toBe(0);
  }, 600_000);

  it('a hand-edited live config is reported as drift', async () => {
    const live = join(h.home, '.openclaw', 'openclaw.json');
    const declared = readFileSync(readlinkSync(live), 'utf8');
    rmSync(live);
    writeFileSync(live, declared.replace('"mode": "local"', '"mode": "local", "bind": "lan"').replace('"mode":"local"', '"mode":"local","bind":"lan"'));
    const r = await run('plan', 'staging');
    expect(printed(r)).toMatch(/drift-config/);
  }, 300_000);
});
