// Small, hand-made inputs for the component tests (no Nix, no host).
import type { Plan, Step } from '../../src/core/plan/schema.js';
import type { ApprovalRequest } from '../../src/core/exec/types.js';
import type { Host } from '../../src/core/inventory/schema.js';

export const PROFILE = '/tmp/profiles/staging';
export const NEXT = '/nix/store/z9nd7nyy8994as4r19hksh66rja119mp-home-manager-generation';

export function step(id: string, action: string, risk: Step['risk'], argv: string[] = [action]): Step {
  return { id, action, args: action === 'http-check' ? { path: '/readyz' } : {}, on: 'host', reason: `${action} because the plan says so`, risk, argv };
}

export function host(environment: 'staging' | 'production' = 'staging'): Host {
  const name = environment === 'production' ? 'prod-eu' : 'staging';
  return {
    name,
    source: 'clawdeploy.hosts',
    target: 'local',
    environment,
    kind: 'home-manager',
    attribute: 'x',
    configAttribute: null,
    profile: PROFILE,
    activate: 'activate',
    gateway: { port: 38791, unit: 'openclaw-gateway', manager: 'none', logPath: null, configPath: '~/.openclaw/openclaw.json' },
    channels: ['telegram'],
    runtimePlugins: [],
    secretFiles: [],
    healthChecks: { http: [] },
  } as unknown as Host;
}

export function request(environment: 'staging' | 'production' = 'staging'): ApprovalRequest {
  const h = host(environment);
  return {
    step: step('apply-2', 'set-profile', 'mutate', ['nix-env', '--profile', PROFILE, '--set', NEXT]),
    host: h,
    command: `nix-env --profile ${PROFILE} --set ${NEXT}`,
    verdict: { decision: 'ask', rule: environment === 'production' ? 'ask-production' : 'ask-change', reason: 'changes the host: a person approves it' },
    typeHostName: environment === 'production',
  };
}

export function plan(o: { blocked?: boolean } = {}): Plan {
  return {
    schemaVersion: 1,
    host: { name: 'staging', environment: 'staging', target: 'local', kind: 'home-manager', profile: PROFILE },
    flake: { base: { rev: 'a'.repeat(40), source: 'git-head' }, target: { rev: 'a'.repeat(40), dirty: true }, lockHash: null },
    generations: { current: { number: 1, storePath: '/nix/store/7z661iyk7lj1iacx3y2whr1hg2q8453x-home-manager-generation' }, next: { storePath: NEXT, number: 2 } },
    summary: [
      'Host staging (staging) runs OpenClaw from a Home Manager profile on this machine.',
      'OpenClaw 2026.6.10 → 2026.6.11 (upgrade).',
      'A very long line that goes on and on to make sure that wrapping keeps everything inside eighty columns of the terminal window at all times.',
    ],
    changes: [
      { kind: 'openclaw-version', summary: 'OpenClaw 2026.6.10 → 2026.6.11 (upgrade; nix-openclaw 3cd11d8 → d7d710b)' },
      {
        kind: 'source',
        summary: 'flake.nix changed (+1 −1)',
        detail: { file: 'flake.nix', patch: '--- a/flake.nix\n+++ b/flake.nix\n@@ -2,3 +2,3 @@\n-  inputs.x.url = "v2026.6.10";\n+  inputs.x.url = "v2026.6.11";\n' },
      },
      { kind: 'config', summary: 'gateway.port 38791 → 38792', detail: { section: 'gateway', field: 'port', from: 38791, to: 38792 } },
      { kind: 'closure', summary: 'openclaw 2026.6.10 → 2026.6.11', detail: { entries: [{ name: 'openclaw', change: 'updated', text: 'openclaw 2026.6.10 → 2026.6.11' }], omitted: 0 } },
    ],
    findings: [
      { code: 'dirty-tree', severity: 'warn', message: 'the working tree has uncommitted changes', fix: 'commit first' },
      ...(o.blocked ? [{ code: 'secret-file-missing', severity: 'block' as const, message: 'secret file /run/secrets/discord is missing on staging', fix: 'create it' }] : []),
    ],
    steps: {
      apply: [step('apply-1', 'build', 'read'), step('apply-2', 'set-profile', 'mutate'), step('apply-3', 'activate', 'mutate')],
      validate: [step('validate-1', 'gateway-status', 'read'), step('validate-2', 'http-check', 'read'), step('validate-3', 'channels-probe', 'read')],
      rollback: [],
    },
    status: o.blocked ? 'blocked' : 'ready',
    hash: 'sha256:0',
  };
}

/**
 * Polls until `check` stops throwing, or fails with its last error at the deadline. The deadline
 * is generous: it only bounds a failing test, a passing one returns as soon as the check holds.
 */
export async function until(check: () => void, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

/**
 * Writes keys as one read from the terminal. Keys are handled as they are read, so there is
 * nothing to wait for; the read ends when this resolves, so the next press is a read of its own,
 * as when a person types.
 */
export async function press(stdin: { write(s: string): void }, keys: string): Promise<void> {
  stdin.write(keys);
  await Promise.resolve();
}
