import { describe, expect, it } from 'vitest';
import { makePlan, makeBlockedPlan, type Analysis } from '../../src/core/plan/planner.js';
import { planHash } from '../../src/core/plan/hash.js';
import { runbookMarkdown, runbookJson } from '../../src/core/plan/runbook.js';
import type { Host } from '../../src/core/inventory/schema.js';

const CUR = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';
const NEXT = '/nix/store/1d8wz3nhp9f2zzr0frc7qxa7j2zgssm4-home-manager-generation';

const host: Host = {
  name: 'staging',
  source: 'clawdeploy.hosts',
  target: 'ssh://root@10.213.1.2',
  environment: 'staging',
  kind: 'home-manager',
  attribute: 'homeConfigurations.staging.activationPackage',
  configAttribute: 'homeConfigurations.staging.config',
  profile: '/nix/var/nix/profiles/per-user/root/home-manager',
  activate: 'activate',
  gateway: { port: 18789, unit: 'openclaw-gateway', manager: 'systemd-user', logPath: null, configPath: '~/.openclaw/openclaw.json' },
  channels: ['discord', 'telegram'],
  runtimePlugins: ['discord'],
  secretFiles: [],
  healthChecks: {
    http: [
      { path: '/healthz', port: 18789 },
      { path: '/readyz', port: 18789 },
    ],
  },
};

function analysis(over: Partial<Analysis> = {}): Analysis {
  return {
    host,
    ctx: { host, storeUrl: 'ssh://root@10.213.1.2', flakeDir: '/src/flake' },
    flake: { base: { rev: 'a'.repeat(40), source: 'git-head' }, target: { rev: 'a'.repeat(40), dirty: true }, lockHash: 'sha256:00' },
    current: { number: 4, storePath: CUR },
    nextStorePath: NEXT,
    changes: [{ kind: 'openclaw-version', summary: 'OpenClaw 2026.6.10 → 2026.6.11 (upgrade)' }],
    findings: [
      { code: 'dirty-tree', severity: 'warn', message: 'uncommitted changes' },
      { code: 'state-not-rolled-back', severity: 'info', message: 'state is not rolled back' },
    ],
    ...over,
  };
}

describe('the deterministic planner', () => {
  it('gives byte-identical JSON and the same hash for the same analysis', () => {
    const a = JSON.stringify(makePlan(analysis()));
    const b = JSON.stringify(makePlan(analysis({ findings: [...analysis().findings].reverse() })));
    expect(a).toBe(b);
    const plan = makePlan(analysis());
    expect(plan.hash).toBe(planHash(plan));
    expect(plan.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes the hash when anything in the plan changes', () => {
    expect(makePlan(analysis()).hash).not.toBe(makePlan(analysis({ current: { number: 5, storePath: CUR } })).hash);
  });

  it('applies, validates every channel, and rolls back to the previous generation by number and path', () => {
    const plan = makePlan(analysis());
    expect(plan.status).toBe('ready');
    expect(plan.steps.apply.map((s) => s.action)).toEqual(['build', 'copy-closure', 'set-profile', 'activate']);
    expect(plan.steps.validate.map((s) => s.action)).toEqual(['service-status', 'gateway-status', 'gateway-health', 'http-check', 'http-check', 'channels-probe']);
    expect(plan.steps.validate.at(-1)?.args).toEqual({ port: 18789, channels: ['discord', 'telegram'] });
    const rollback = plan.steps.rollback[0]!;
    expect(rollback.action).toBe('switch-generation');
    expect(rollback.args).toMatchObject({ generation: 4, storePath: CUR });
    expect(rollback.argv).toEqual(['nix-env', '--profile', host.profile, '--switch-generation', '4']);
    expect(plan.summary.join(' ')).toContain('roll back to generation 4');
  });

  it('has no rollback steps and says so on a first deployment', () => {
    const plan = makePlan(analysis({ current: null }));
    expect(plan.steps.rollback).toEqual([]);
    expect(plan.summary.join(' ')).toMatch(/no previous generation/);
    expect(plan.steps.apply.find((s) => s.action === 'set-profile')?.reason).toMatch(/first generation/);
  });

  it('is blocked, with no steps at all, when a finding blocks', () => {
    const plan = makePlan(analysis({ findings: [{ code: 'secret-file-missing', severity: 'block', message: 'secret file /run/agenix/x is missing' }] }));
    expect(plan.status).toBe('blocked');
    expect(plan.steps).toEqual({ apply: [], validate: [], rollback: [] });
    expect(plan.summary.join(' ')).toMatch(/Blocked/);
  });

  it('has nothing to apply when the new generation is the current one', () => {
    const plan = makePlan(analysis({ nextStorePath: CUR }));
    expect(plan.status).toBe('no-change');
    expect(plan.steps.apply).toEqual([]);
    expect(plan.steps.validate.length).toBeGreaterThan(0);
  });

  it('sorts findings block, warn, info', () => {
    const plan = makePlan(analysis({ findings: [...analysis().findings, { code: 'drift-config', severity: 'block', message: 'edited by hand' }] }));
    expect(plan.findings.map((f) => f.severity)).toEqual(['block', 'warn', 'info']);
  });

  it('blocks before evaluation with null host facts', () => {
    const plan = makeBlockedPlan('staging', analysis().flake, [
      { code: 'secret-inline', severity: 'block', message: 'a Telegram bot token at channels.telegram.botToken', file: 'flake.nix', line: 12 },
    ]);
    expect(plan.status).toBe('blocked');
    expect(plan.host).toEqual({ name: 'staging', environment: null, target: null, kind: null, profile: null });
    expect(plan.summary.join(' ')).toMatch(/rotate/);
  });
});

describe('the runbook', () => {
  it('shows the exact commands, over ssh for host steps, and a sidecar that holds the same plan', () => {
    const plan = makePlan(analysis());
    const md = runbookMarkdown(plan, '/src/flake');
    expect(md).toContain(`ssh root@10.213.1.2 -- nix-env --profile ${host.profile} --switch-generation 4`);
    expect(md).toContain("nix --extra-experimental-features 'nix-command flakes' build --no-link --json /src/flake#homeConfigurations.staging.activationPackage");
    expect(md).toContain(plan.hash);
    const json = JSON.parse(runbookJson(plan, '/src/flake'));
    expect(json.plan).toEqual(JSON.parse(JSON.stringify(plan)));
    expect(planHash(json.plan)).toBe(plan.hash);
    expect(runbookJson(plan, '/src/flake')).toBe(runbookJson(makePlan(analysis()), '/src/flake'));
  });
});
