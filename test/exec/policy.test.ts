// The policy as data: a table of proposals and the verdict each gets, the self-tests that
// refuse a broken policy at load, and a user's clawdeploy.policy.yaml.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPolicy, DEFAULT_RULES, loadPolicy, POLICY_FILE, type Policy } from '../../src/core/exec/policy/index.js';
import { ACTIONS } from '../../src/core/plan/catalog.js';
import { UserError } from '../../src/core/errors.js';

const PROFILE = '/nix/var/nix/profiles/per-user/root/home-manager';
const STORE = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';
const SSH = 'ssh://root@10.213.1.2';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const policy = loadPolicy();
const decide = (p: Policy, action: string, args: Record<string, unknown>, env: 'staging' | 'production', target = SSH, risk?: 'read' | 'mutate' | 'destructive') =>
  p.decide({ action, args, ...(risk ? { risk } : {}) }, env, { target });

describe('the default policy', () => {
  it.each([
    // action, args, environment, target, decision, rule
    ['gateway-status', { port: 18789 }, 'staging', SSH, 'allow', 'allow-read'],
    ['gateway-status', { port: 18789 }, 'production', SSH, 'allow', 'allow-read'], // production read: allowed
    ['channels-probe', { port: 18789, channels: ['telegram'] }, 'production', SSH, 'allow', 'allow-read'],
    ['build', { attribute: 'a.b' }, 'production', 'local', 'allow', 'allow-read'],
    ['read-host-file', { path: `${PROFILE}.clawdeploy/last-deploy.json` }, 'production', SSH, 'allow', 'allow-read'],
    ['log-tail', { path: '/tmp/openclaw/openclaw-gateway.log', lines: 20 }, 'production', SSH, 'allow', 'allow-read'],
    ['log-tail', { path: '/root/.ssh/id_ed25519', lines: 20 }, 'staging', SSH, 'ask', 'ask-log-tail-elsewhere'],
    ['set-profile', { profile: PROFILE, storePath: STORE }, 'staging', SSH, 'ask', 'ask-change'],
    ['activate', { profile: PROFILE }, 'production', SSH, 'ask', 'ask-production-change'],
    ['write-host-file', { path: `${PROFILE}.clawdeploy/x`, content: '' }, 'staging', SSH, 'ask', 'ask-change'],
    ['switch-generation', { profile: PROFILE, generation: 1, storePath: STORE }, 'staging', SSH, 'ask', 'ask-destructive'], // staging destructive: still asks
    ['switch-generation', { profile: PROFILE, generation: 1, storePath: STORE }, 'production', SSH, 'ask', 'ask-destructive'],
    ['copy-closure', { storePath: STORE }, 'staging', SSH, 'ask', 'ask-change'],
    ['copy-closure', { storePath: STORE }, 'staging', 'local', 'deny', 'deny-copy-closure-local'],
    ['run-shell', { cmd: 'id' }, 'staging', SSH, 'deny', 'deny-unknown-action'], // unknown action
  ] as const)('%s %j on %s (%s) -> %s by %s', (action, args, env, target, decision, rule) => {
    const v = decide(policy, action, args, env, target);
    expect(v).toMatchObject({ decision, rule });
    expect(v.reason.length).toBeGreaterThan(10);
  });

  it('trusts the catalog, not the step, for the risk of a catalog action', () => {
    expect(decide(policy, 'activate', { profile: PROFILE }, 'staging', SSH, 'read')).toMatchObject({ decision: 'ask', rule: 'ask-change' });
    expect(decide(policy, 'rm', {}, 'staging', SSH, 'read')).toMatchObject({ decision: 'deny', rule: 'deny-unknown-action' });
  });

  it('decides every catalog action in both environments, and no mutate or destructive action is ever allowed', () => {
    for (const spec of Object.values(ACTIONS)) {
      for (const env of ['staging', 'production'] as const) {
        const v = decide(policy, spec.id, {}, env);
        if (spec.risk === 'read') expect(v.decision, spec.id).not.toBe('deny');
        else expect(v.decision, `${spec.id} on ${env}`).toBe('ask');
      }
    }
  });

  it("decides each default example by the example's own rule (strict first match)", () => {
    for (const rule of DEFAULT_RULES) {
      for (const e of rule.examples.match) {
        expect(decide(policy, e.action, e.args ?? {}, e.environment, e.target === 'local' ? 'local' : SSH, e.risk), `${rule.id} ${JSON.stringify(e)}`).toMatchObject({ rule: rule.id });
      }
    }
  });

  it('asks (fails closed) when no rule matches', () => {
    const p = createPolicy([]);
    expect(p.decide({ action: 'gateway-status', args: {} }, 'staging')).toMatchObject({ decision: 'ask', rule: 'default' });
  });
});

const rule = (over: Record<string, unknown>) => ({
  id: 'freeze',
  decision: 'deny',
  actions: ['activate'],
  reason: 'change freeze',
  examples: { match: [{ action: 'activate', environment: 'production' }], notMatch: [{ action: 'gateway-status', environment: 'production' }] },
  ...over,
});
const loadError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
};

describe('self-tests at load', () => {
  it('refuses a rule whose match example does not match, naming the rule and the example, on one line', () => {
    const msg = loadError(() => createPolicy(DEFAULT_RULES, [rule({ examples: { match: [{ action: 'set-profile', environment: 'production' }], notMatch: [] } })], 'clawdeploy.policy.yaml'));
    expect(msg).toMatch(/^clawdeploy\.policy\.yaml: rule 'freeze': match example 1 \{"action":"set-profile","environment":"production"\} does not match the rule$/);
    expect(msg).not.toContain('\n');
  });

  it('refuses a notMatch example that matches', () => {
    expect(
      loadError(() =>
        createPolicy(DEFAULT_RULES, [
          rule({ environments: ['production'], examples: { match: [{ action: 'activate', environment: 'production' }], notMatch: [{ action: 'activate', environment: 'production' }] } }),
        ]),
      ),
    ).toMatch(/rule 'freeze': notMatch example 1 .* matches the rule/);
  });

  it('refuses an allow whose example a default ask decides: a user file cannot loosen the defaults', () => {
    const loosen = rule({ id: 'yolo', decision: 'allow', reason: 'fast' });
    expect(loadError(() => createPolicy(DEFAULT_RULES, [loosen]))).toMatch(/rule 'yolo': match example 1 .* is decided 'ask' by rule 'ask-production-change', not 'allow'/);
  });

  it('refuses a broken default rule too, and bad shapes, unknown actions, duplicate ids and bad regexes', () => {
    const broken = DEFAULT_RULES.map((r) => (r.id === 'allow-read' ? { ...r, examples: { ...r.examples, match: [...r.examples.match, { action: 'activate', environment: 'staging' as const }] } } : r));
    expect(loadError(() => createPolicy(broken))).toMatch(/^default policy: rule 'allow-read': match example 6/);
    expect(loadError(() => createPolicy([], [rule({ decision: 'maybe' })]))).toMatch(/rule 'freeze': decision/);
    expect(loadError(() => createPolicy([], [rule({ actions: ['activte'] })]))).toMatch(/unknown action 'activte'/);
    expect(loadError(() => createPolicy(DEFAULT_RULES, [rule({ id: 'allow-read' })]))).toMatch(/'allow-read': the id is already used by another rule/);
    expect(loadError(() => createPolicy([], [rule({ when: { arg: 'profile', matches: '(' } })]))).toMatch(/bad regex/);
    expect(loadError(() => createPolicy([], [rule({ examples: { match: [], notMatch: [] } })]))).toMatch(/examples\.match/);
    expect(loadError(() => createPolicy([], [rule({ examples: { match: [{ action: 'activate', environment: 'production', risk: 'read' }] } })]))).toMatch(/risk 'read', but the catalog's is 'mutate'/);
  });
});

describe('clawdeploy.policy.yaml', () => {
  const flake = (yaml: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-policy-'));
    dirs.push(dir);
    writeFileSync(join(dir, POLICY_FILE), yaml);
    return dir;
  };

  it('adds rules with the same shape and ordering: a deny with a condition on an argument', () => {
    const dir = flake(`
rules:
  - id: no-unlock-on-production
    decision: deny
    actions: [unlock-host]
    environments: [production]
    when: { arg: path, matches: '/lock$' }
    reason: production locks are released by the on-call engineer
    examples:
      match:
        - { action: unlock-host, environment: production, args: { path: /p.clawdeploy/lock } }
      notMatch:
        - { action: unlock-host, environment: staging, args: { path: /p.clawdeploy/lock } }
        - { action: unlock-host, environment: production, args: { path: /p.clawdeploy/other } }
`);
    const p = loadPolicy(dir);
    expect(decide(p, 'unlock-host', { path: '/p.clawdeploy/lock' }, 'production')).toMatchObject({ decision: 'deny', rule: 'no-unlock-on-production' });
    expect(decide(p, 'unlock-host', { path: '/p.clawdeploy/lock' }, 'staging')).toMatchObject({ decision: 'ask', rule: 'ask-change' });
    expect(decide(p, 'gateway-status', {}, 'production')).toMatchObject({ decision: 'allow', rule: 'allow-read' });
  });

  it('an ask in the file makes a production read ask, with its own reason', () => {
    const dir = flake(`
rules:
  - id: freeze-reads
    decision: ask
    actions: ['*']
    environments: [production]
    reason: incident freeze, even reads
    examples:
      match: [{ action: gateway-status, environment: production }]
`);
    expect(decide(loadPolicy(dir), 'gateway-status', {}, 'production')).toMatchObject({ decision: 'ask', rule: 'freeze-reads', reason: 'incident freeze, even reads' });
  });

  it('refuses a file whose example fails, bad YAML, and a wrong top level, each in one line naming the file', () => {
    const bad = flake(`
rules:
  - id: typo
    decision: deny
    actions: [activate]
    environments: [production]
    reason: x
    examples:
      match: [{ action: activate, environment: staging }]
`);
    expect(loadError(() => loadPolicy(bad))).toBe(`${join(bad, POLICY_FILE)}: rule 'typo': match example 1 {"action":"activate","environment":"staging"} does not match the rule`);
    expect(loadError(() => loadPolicy(flake('rules: [\n')))).toMatch(/not valid YAML/);
    // An unknown tag is only a warning to the parser: for a policy it is an error, not a Node warning on stderr.
    expect(loadError(() => loadPolicy(flake('rules: !custom []\n')))).toMatch(/not valid YAML \(.*custom/);
    expect(loadError(() => loadPolicy(flake('- id: x\n')))).toMatch(/expected a mapping with one key, rules/);
  });

  it('no file means the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clawdeploy-policy-'));
    dirs.push(dir);
    expect(loadPolicy(dir).rules.map((r) => r.id)).toEqual(DEFAULT_RULES.map((r) => r.id));
  });
});
