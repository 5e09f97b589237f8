import { describe, expect, it } from 'vitest';
import { checkGates, type GateFacts } from '../../src/core/deploy/gates.js';
import { isStaleOwner } from '../../src/core/deploy/apply.js';
import { staleness } from '../../src/core/deploy/runbookCheck.js';
import { NEXT_STORE_PATH, testPlan } from '../helpers/runbook.js';
import type { Host } from '../../src/core/inventory/schema.js';
import type { Plan } from '../../src/core/plan/schema.js';
import { hostname } from 'node:os';

const host = (name: string, environment: 'staging' | 'production'): Host => ({
  name,
  source: 'clawdeploy.hosts',
  target: 'local',
  environment,
  kind: 'home-manager',
  attribute: 'a',
  configAttribute: null,
  profile: '/p',
  activate: 'activate',
  gateway: { port: 18789, unit: 'u', manager: 'none', logPath: null, configPath: '~/.openclaw/openclaw.json' },
  channels: [],
  runtimePlugins: [],
  secretFiles: [],
  healthChecks: { http: [] },
});
const prod = host('prod', 'production');
const inventory = [host('staging', 'staging'), prod];
const REV = 'a'.repeat(40);
const plan = (rev: string | null, dirty = false) => ({ flake: { target: { rev, dirty }, base: { rev, source: 'git-head' }, lockHash: null } }) as unknown as Plan;
const NOW = new Date('2026-11-24T12:00:00Z');
const facts = (stagingWithRev: string[], drillDaysAgo: number | null): GateFacts => ({
  stagingHostsWithRev: (rev) => (rev === REV ? stagingWithRev : []),
  lastPassedDrill: (h) => (h === 'staging' && drillDaysAgo !== null ? new Date(NOW.getTime() - drillDaysAgo * 86_400_000) : null),
});

describe('production promotion gates (defaults: same revision green on staging, drill within 7 days)', () => {
  it.each([
    ['all met', plan(REV), facts(['staging'], 1), [true, true]],
    ['revision never deployed to staging', plan(REV), facts([], 1), [false, true]],
    ['drill too old', plan(REV), facts(['staging'], 8), [true, false]],
    ['no drill at all', plan(REV), facts(['staging'], null), [true, false]],
    ['dirty tree cannot be vouched for', plan(REV, true), facts(['staging'], 1), [false, true]],
    ['no commit at all', plan(null), facts(['staging'], 1), [false, true]],
  ] as const)('%s', (_name, p, f, expected) => {
    const results = checkGates(p, prod, inventory, f, NOW);
    expect(results.map((r) => r.ok)).toEqual(expected);
    for (const r of results.filter((x) => !x.ok)) expect(r.fix).toMatch(/clawdeploy (apply|drill) staging|commit/);
  });

  it('staging has no gates by default', () => {
    expect(checkGates(plan(null), inventory[0]!, inventory, facts([], null), NOW)).toEqual([]);
  });
});

describe('stale locks and runbooks', () => {
  it('a lock of a dead process on this machine is stale; a live one, or another machine, is not', () => {
    expect(isStaleOwner(`root@${hostname()} pid 999999 deployment x`)).toBe(true);
    expect(isStaleOwner(`root@${hostname()} pid ${process.pid} deployment x`)).toBe(false);
    expect(isStaleOwner('root@elsewhere.example pid 999999 deployment x')).toBe(false);
    expect(isStaleOwner('garbage')).toBe(false);
  });

  it('says what moved since the runbook was made', () => {
    const base = testPlan();
    expect(staleness(base, testPlan())).toEqual([]);
    const moved = testPlan({ current: { number: 2, storePath: NEXT_STORE_PATH } });
    expect(staleness(base, moved).join(' ')).toMatch(/host now runs generation 2/);
  });
});
