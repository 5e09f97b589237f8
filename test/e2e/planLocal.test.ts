// `clawdeploy plan` and `check` end to end on a local host: real Nix builds, real profiles and
// generations, a real (stand-in) gateway. The host is this machine with HOME in a temp dir.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAKE_SECRETS, materializeFlake, NIX_ENV } from '../helpers/fixtures.js';
import { useLocalHosts } from '../helpers/localHost.js';
import { runCli, printed } from '../helpers/cli.js';
import { planHash } from '../../src/core/plan/hash.js';
import type { Plan } from '../../src/core/plan/schema.js';

const local = useLocalHosts();

/** A local host (test/helpers/localHost.ts) with its `plan` command at hand. */
async function host(fixture: string, opts: { seed?: boolean; secrets?: string[]; vars?: Record<string, string> } = {}) {
  const h = await local.make(fixture, opts);
  return { ...h, plan: (...extra: string[]) => h.cli('plan', 'staging', ...extra) };
}

const json = (stdout: string) => JSON.parse(stdout) as Plan;

describe('plan on a local host', () => {
  it('F1 first deploy: build, set the profile, activate; validation probes telegram; nothing to roll back to', async () => {
    const h = await host('f1-single-staging');
    const r = await h.plan('--json');
    expect(r.code, r.stderr).toBe(0);
    const plan = json(r.stdout);
    expect(plan.status).toBe('ready');
    expect(plan.host).toMatchObject({ name: 'staging', environment: 'staging', kind: 'home-manager', target: 'local' });
    expect(plan.steps.apply.map((s) => s.action)).toEqual(['build', 'set-profile', 'activate']);
    expect(plan.steps.validate.map((s) => s.action)).toEqual(['gateway-status', 'gateway-health', 'http-check', 'http-check', 'channels-probe']);
    expect(plan.steps.validate.at(-1)!.args).toMatchObject({ channels: ['telegram'] });
    expect(plan.steps.rollback).toEqual([]);
    expect(plan.findings.map((f) => f.code)).toContain('first-deploy');
    expect(plan.findings.filter((f) => f.severity === 'block')).toEqual([]);
    expect(plan.changes.some((c) => c.kind === 'config' && /telegram/.test(c.summary))).toBe(true);
    expect(plan.hash).toBe(planHash(plan as unknown as Record<string, unknown>));
  });

  it('F3 upgrade: OpenClaw 2026.6.10 -> 2026.6.11 by tag, closure diff, rollback to generation 1 by number and path', async () => {
    const h = await host('f3-bump-openclaw', { seed: true });
    const r = await h.plan('--json');
    expect(r.code, r.stderr).toBe(0);
    const plan = json(r.stdout);
    const version = plan.changes.find((c) => c.kind === 'openclaw-version');
    expect(version?.summary).toMatch(/OpenClaw 2026\.6\.10 → 2026\.6\.11 \(upgrade/);
    expect(plan.changes.find((c) => c.kind === 'closure')?.summary).toMatch(/openclaw/);
    expect(plan.generations.current).toEqual({ number: 1, storePath: h.generation });
    expect(plan.generations.next?.storePath).not.toBe(h.generation);
    expect(plan.steps.rollback[0]).toMatchObject({ action: 'switch-generation', args: { generation: 1, storePath: h.generation } });
    expect(plan.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['dirty-tree', 'state-not-rolled-back']));
    expect(plan.summary.join('\n')).toMatch(/roll back to generation 1/);
  });

  it('is deterministic: the same input gives byte-identical JSON', async () => {
    const h = await host('f3-bump-openclaw', { seed: true });
    const a = await h.plan('--json');
    const b = await h.plan('--json');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('writes a runbook for review with a JSON sidecar that holds the same plan and hash', async () => {
    const h = await host('f3-bump-openclaw', { seed: true });
    const md = join(h.flake.dir, '..', `runbook-${Date.now()}.md`);
    const r = await h.plan('--runbook', md);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(md, 'utf8');
    const side = JSON.parse(readFileSync(md.replace(/\.md$/, '.json'), 'utf8'));
    expect(side.kind).toBe('clawdeploy-runbook');
    expect(text).toContain(side.plan.hash);
    expect(planHash(side.plan)).toBe(side.plan.hash);
    expect(text).toMatch(/## Rollback[\s\S]*nix-env --profile \S+ --switch-generation 1/);
    expect(text).toContain('```diff');
    expect(text).toContain('refs/tags/v2026.6.11');
  });

  it('F4 adds discord: the channel and its plugin are planned; with the token file present nothing blocks', async () => {
    const h = await host('f4-add-discord', { seed: true, secrets: ['openclaw-gateway-token', 'anthropic', 'telegram-staging', 'discord-bot-token'] });
    const r = await h.plan('--json');
    expect(r.code, r.stderr).toBe(0);
    const plan = json(r.stdout);
    expect(
      plan.changes
        .filter((c) => c.kind === 'config')
        .map((c) => c.summary)
        .join('\n'),
    ).toMatch(/discord/);
    expect(plan.steps.validate.at(-1)!.args).toMatchObject({ channels: ['discord', 'telegram'] });
    expect(plan.findings.filter((f) => f.severity === 'block')).toEqual([]);
  });

  it('F4 with the discord token file missing on the host is blocked before anything changes (exit 3)', async () => {
    const h = await host('f4-add-discord', { seed: true });
    const r = await h.plan('--json');
    expect(r.code).toBe(3);
    const plan = json(r.stdout);
    const missing = plan.findings.find((f) => f.code === 'secret-file-missing');
    expect(missing?.message).toMatch(/discord-bot-token/);
    expect(missing?.message).toMatch(/DISCORD_BOT_TOKEN/);
    expect(plan.steps.apply).toEqual([]);
  });

  it('F4 that forgets runtimePlugins reports the missing discord plugin (exit 3)', async () => {
    const h = await host('f4-add-discord-no-plugin', { seed: true, secrets: ['openclaw-gateway-token', 'anthropic', 'telegram-staging', 'discord-bot-token'] });
    const r = await h.plan('--json');
    expect(r.code).toBe(3);
    const f = json(r.stdout).findings.find((x) => x.code === 'channel-plugin-missing');
    expect(f?.fix).toContain('runtimePlugins = [ "discord" ]');
  });

  it('F5 inline secrets: blocked before Nix runs, with file, line, fix and rotation; no secret printed or copied to the store', async () => {
    const h = await host('f5-inline-secret');
    const storeCopies = async () => (await execa('sh', ['-c', 'grep -lF -- "$1" /nix/store/*-source/flake.nix 2>/dev/null || true', 'sh', FAKE_SECRETS.telegramBotToken])).stdout.trim();
    const before = await storeCopies();
    const r = await h.plan('--json');
    expect(r.code).toBe(3);
    const plan = json(r.stdout);
    expect(plan.status).toBe('blocked');
    const blocks = plan.findings.filter((f) => f.severity === 'block');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const f of blocks) {
      expect(f.file).toBe('flake.nix');
      expect(f.line).toBeGreaterThan(0);
      expect(f.fix).toMatch(/agenix|sops/);
    }
    expect(JSON.stringify(plan)).toMatch(/rotate/i);
    for (const secret of Object.values(FAKE_SECRETS)) expect(printed(r)).not.toContain(secret);
    // Nix never saw the working tree: no new flake source in the store holds the secret.
    expect(await storeCopies()).toBe(before);
  });

  it('reports drift when the live config was edited by hand (exit 3)', async () => {
    const h = await host('f3-bump-openclaw', { seed: true });
    const live = join(h.home, '.openclaw', 'openclaw.json');
    const config = JSON.parse(readFileSync(live, 'utf8')) as Record<string, unknown>;
    unlinkSync(live); // the activation made it a symlink into the store; a hand edit replaces it
    writeFileSync(live, JSON.stringify({ ...config, logging: { level: 'debug' } }));
    const r = await h.plan('--json');
    expect(r.code).toBe(3);
    expect(json(r.stdout).findings.find((f) => f.code === 'drift-config')?.message).toMatch(/edited by hand|not the one of generation 1/);
  });

  it('--base compares against an older revision', async () => {
    const h = await host('f3-bump-openclaw', { seed: true, vars: {} });
    await execa('git', ['-C', h.flake.dir, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'bump'], { env: NIX_ENV });
    const head = await h.plan('--json');
    expect(json(head.stdout).changes.find((c) => c.kind === 'openclaw-version')).toBeUndefined();
    const base = await h.plan('--json', '--base', h.flake.baseRev);
    expect(json(base.stdout).flake.base).toEqual({ rev: h.flake.baseRev, source: 'flag' });
    expect(json(base.stdout).changes.find((c) => c.kind === 'openclaw-version')?.summary).toMatch(/2026\.6\.11/);
  });
});

describe('check: the CI gate', () => {
  it('passes F1 and F2 (exit 0) and lists their hosts', async () => {
    for (const [fixture, hosts] of [
      ['f1-single-staging', ['staging']],
      ['f2-staging-prod', ['prod', 'staging']],
    ] as const) {
      const flake = await materializeFlake(fixture, { openclawRepo: local.repo() });
      const r = await runCli(['check', '--flake', flake.dir, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, evaluated: true, hosts });
    }
  });

  it('fails F5 (exit 3) without evaluating, and F4 without its plugin (exit 3)', async () => {
    const f5 = await materializeFlake('f5-inline-secret', { openclawRepo: local.repo() });
    const r5 = await runCli(['check', '--flake', f5.dir]);
    expect(r5.code).toBe(3);
    expect(r5.stdout).toMatch(/secret/);
    for (const secret of Object.values(FAKE_SECRETS)) expect(printed(r5)).not.toContain(secret);
    const f4 = await materializeFlake('f4-add-discord-no-plugin', { openclawRepo: local.repo() });
    const r4 = await runCli(['check', '--flake', f4.dir]);
    expect(r4.code).toBe(3);
    expect(r4.stdout).toMatch(/channel-plugin-missing/);
  });
});

describe('hosts', () => {
  it('lists F2: a Home Manager staging host and a NixOS production host with facts derived from their options', async () => {
    const flake = await materializeFlake('f2-staging-prod', { openclawRepo: local.repo(), vars: { PROFILE_prod: '/nix/var/nix/profiles/system' } });
    const r = await runCli(['hosts', '--flake', flake.dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const hosts = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const prod = hosts.find((h) => h['name'] === 'prod')!;
    expect(prod).toMatchObject({ environment: 'production', kind: 'nixos', profile: '/nix/var/nix/profiles/system', channels: ['telegram'] });
    expect((prod['gateway'] as Record<string, unknown>)['configPath']).toBe('/etc/openclaw/openclaw.json');
    expect((prod['secretFiles'] as Array<{ path: string }>).map((s) => s.path.split('/').pop())).toEqual(['telegram-prod', 'openclaw-prod.env']);
    const table = await runCli(['hosts', '--flake', flake.dir]);
    expect(table.stdout).toMatch(/prod\s+production\s+nixos/);
  });
});
