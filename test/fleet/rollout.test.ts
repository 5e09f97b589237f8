// The rollout engine with its hosts faked (no Nix, no ssh): the deploy service, reachability and
// the rollback are stand-ins; the records are real (a fresh SQLite file). What is checked: a goal
// given to the fleet reaches every host's plan and deploy and is recorded for a resume; a goal a
// selected host cannot take is refused before anything runs; a NixOS `boot` deploy is carried as
// applied-for-next-boot (done, not running), which a failed wave takes back and a resume skips.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { Goal, Host } from '../../src/core/inventory/schema.js';
import type { Plan } from '../../src/core/plan/schema.js';
import type { DeployOutcome, OpenRequest } from '../../src/core/deploy/service.js';
import { openRecords, type Records } from '../../src/core/records/index.js';
import { rolloutLedgerFor } from '../../src/core/fleet/rolloutLedger.js';
import { runRollout, type FleetDeps, type RolloutEvent } from '../../src/core/fleet/rollout.js';
import { renderRollout, rolloutJson } from '../../src/cli/rolloutPrinter.js';
import { ExitCode, UserError } from '../../src/core/errors.js';
import { host as uiHost, plan as uiPlan } from '../ui/fixtures.js';
import { tempDir } from '../records/helpers.js';

const fake = vi.hoisted(() => ({
  reached: [] as string[],
  opened: [] as Array<{ host: string; goal: Goal | undefined }>,
  deployed: [] as string[],
  rolledBack: [] as string[],
  /** Hosts whose deploy fails validation (rolled back by their own deploy). */
  failing: new Set<string>(),
  /** The generation number a host's nix-env really makes, when it is not the plan's prediction. */
  made: new Map<string, number>(),
}));

vi.mock('../../src/core/transport/forHost.js', () => ({ transportForHost: () => ({ close: async () => undefined }) }));
vi.mock('../../src/core/transport/index.js', async (original) => ({
  ...(await original<typeof import('../../src/core/transport/index.js')>()),
  assertReachable: async (_t: unknown, name: string) => void fake.reached.push(name),
}));
vi.mock('../../src/core/deploy/recoveryService.js', () => ({
  rollbackThroughService: async (req: { host: Host }) => {
    fake.rolledBack.push(req.host.name);
    return { outcome: 'succeeded', message: 'rolled back' };
  },
}));
vi.mock('../../src/core/deploy/service.js', async (original) => ({
  ...(await original<typeof import('../../src/core/deploy/service.js')>()),
  openDeploy: async (req: OpenRequest) => {
    fake.opened.push({ host: req.hostName, goal: req.goal });
    return { plan: planOf(req.hostName, req.goal ?? hostNamed(req.hostName).goal), host: hostNamed(req.hostName), interrupted: null };
  },
  deployOpened: async (o: { plan: Plan }): Promise<DeployOutcome> => {
    const name = o.plan.host.name;
    fake.deployed.push(name);
    // No deployment record (the real deploy writes one; the rollout's host row refers to it).
    const base = { host: name, plan: o.plan, deploymentId: null };
    const { current, next } = o.plan.generations;
    if (fake.failing.has(name)) return { ...base, outcome: 'rolled-back', exitCode: ExitCode.failed, message: `deploy failed (channels-probe); rolled back to generation 1`, generationAfter: current };
    // As the deploy reads it back from the host: the number nix-env made, whatever the plan predicted.
    const after = { number: fake.made.get(name) ?? next!.number, storePath: next!.storePath };
    // As the deploy says it: a boot deploy is recorded applied-for-next-boot and returned as succeeded.
    if (o.plan.goal === 'boot')
      return {
        ...base,
        outcome: 'succeeded',
        exitCode: ExitCode.ok,
        message: `${name}: generation ${after.number} is the boot default; nothing restarted, the gateway runs it after the next reboot`,
        generationAfter: after,
      };
    return { ...base, outcome: 'succeeded', exitCode: ExitCode.ok, message: `deployed ${name}: generation ${after.number} is healthy`, generationAfter: after };
  },
}));

const KINDS: Record<string, Host['kind']> = { n1: 'nixos', n2: 'nixos', n3: 'nixos', hm: 'home-manager', pl: 'profile' };
function hostNamed(name: string, goal?: Goal): Host {
  return { ...uiHost(), name, kind: KINDS[name]!, ...(goal ? { goal } : {}) };
}
function planOf(name: string, goal: Goal | undefined): Plan {
  const p = uiPlan();
  return { ...p, host: { ...p.host, name, kind: KINDS[name]! }, ...(goal && goal !== 'switch' ? { goal } : {}) } as Plan;
}

let records: Records;
let events: RolloutEvent[];
beforeEach(() => {
  records = openRecords(join(tempDir(), 'records.db'));
  events = [];
  fake.reached.length = fake.opened.length = fake.deployed.length = fake.rolledBack.length = 0;
  fake.failing.clear();
  fake.made.clear();
});

function deps(): FleetDeps {
  return {
    records,
    deploy: { sshConfig: undefined } as unknown as FleetDeps['deploy'],
    gates: {} as FleetDeps['gates'],
    rollouts: rolloutLedgerFor(records),
    approveWave: async () => ({ approved: true, approver: 'tester' }),
  };
}
const rollout = (names: string[], o: Partial<Parameters<typeof runRollout>[0]> = {}) =>
  runRollout({ flakeDir: '/flake', selector: names.join(','), hosts: names.map((n) => hostNamed(n)), parallel: 2, redact: (s) => s, ...o }, deps(), (e) => events.push(e));

describe('runRollout with --goal', () => {
  it('plans and deploys every host with the goal, and records it for a resume', async () => {
    const r = await rollout(['n1', 'n2', 'n3'], { goal: 'test' });
    expect(r.outcome).toBe('succeeded');
    expect(new Set(fake.opened.map((o) => o.goal))).toEqual(new Set(['test']));
    expect(fake.opened.map((o) => o.host).sort()).toEqual(['n1', 'n1', 'n2', 'n2', 'n3', 'n3']);
    expect(records.rollout(r.id)!.options.goals).toEqual({ n1: 'test', n2: 'test', n3: 'test' });
  });

  it('without --goal each host keeps its inventory goal, and nothing is recorded', async () => {
    const r = await rollout(['n1', 'n2']);
    expect(fake.opened.map((o) => o.goal)).toEqual([undefined, undefined, undefined, undefined]);
    expect(records.rollout(r.id)!.options.goals).toBeUndefined();
  });

  it('refuses a goal a selected host cannot take before anything runs, naming the hosts (exit 2)', async () => {
    const one = rollout(['n1', 'hm'], { goal: 'boot' });
    await expect(one).rejects.toThrow(new UserError("--goal boot: host 'hm' is a Home Manager profile; only NixOS hosts take a goal other than switch"));
    await expect(one).rejects.toMatchObject({ exitCode: ExitCode.badInput });
    await expect(rollout(['hm', 'n1', 'pl'], { goal: 'dry-activate' })).rejects.toThrow(
      "--goal dry-activate: hosts 'hm' (a Home Manager profile), 'pl' (a plain profile) are not NixOS; only NixOS hosts take a goal other than switch",
    );
    expect(fake.reached).toEqual([]);
    expect(fake.opened).toEqual([]);
    expect(records.rollouts()).toEqual([]);
    // switch is every kind's goal.
    await expect(rollout(['n1', 'hm'], { goal: 'switch' })).resolves.toMatchObject({ outcome: 'succeeded' });
  });

  it("a reviewed runbook's hosts take the goal each was reviewed with", async () => {
    const plans = { n1: planOf('n1', 'boot'), n2: planOf('n2', undefined) };
    await rollout(['n1', 'n2'], { reviewed: { file: 'fleet.json', waves: [['n1'], ['n2']], plans }, canary: 1 });
    expect(fake.opened.filter((o) => o.host === 'n1').map((o) => o.goal)).toEqual(['boot', 'boot']);
    expect(fake.opened.filter((o) => o.host === 'n2').map((o) => o.goal)).toEqual(['switch', 'switch']);
  });
});

describe('a NixOS boot deploy in a rollout', () => {
  it('is applied-for-next-boot, not succeeded: in the records, the events, the table and the JSON', async () => {
    const r = await rollout(['n1', 'n2', 'n3'], { goal: 'boot' });
    expect(r.outcome).toBe('succeeded');
    expect(r.exitCode, r.message).toBe(ExitCode.ok);
    expect(r.hosts.map((h) => [h.host, h.outcome, h.after?.number])).toEqual([
      ['n1', 'applied-for-next-boot', 2],
      ['n2', 'applied-for-next-boot', 2],
      ['n3', 'applied-for-next-boot', 2],
    ]);
    expect(r.message).toMatch(/succeeded: 3 hosts deployed in 2 waves; set for the next boot \(the new generation is the boot default, not running or validated until a reboot\): n1, n2, n3$/);
    expect(events.filter((e) => e.type === 'host' && e.outcome !== 'running').map((e) => e.type === 'host' && e.outcome)).toEqual(Array(3).fill('applied-for-next-boot'));
    expect(renderRollout(r)).toMatch(/^n1\s+1\s+1\s+2 \(next boot\)\s+applied-for-next-boot\s+n1: generation 2 is the boot default/m);
    const json = JSON.parse(rolloutJson(r)) as { hosts: Array<{ host: string; outcome: string }> };
    expect(json.hosts.map((h) => h.outcome)).toEqual(Array(3).fill('applied-for-next-boot'));
  });

  it('a failed wave takes it back as it takes back a switched host', async () => {
    fake.failing.add('n3');
    // n1 the canary, then n2 and n3 in one wave.
    const r = await rollout(['n1', 'n2', 'n3'], { goal: 'boot', canary: 1 });
    expect(r.exitCode).toBe(ExitCode.failed);
    expect(fake.rolledBack).toEqual(['n2']);
    expect(Object.fromEntries(r.hosts.map((h) => [h.host, h.outcome]))).toEqual({ n1: 'applied-for-next-boot', n2: 'reverted', n3: 'rolled-back' });
    expect(r.message).toMatch(/wave 2 of 2 failed on n3: the rollout stopped; rolled back n2; earlier waves keep the new generation/);
  });

  it('a resumed rollout treats it as done, and plans the rest with the recorded goal', async () => {
    fake.failing.add('n2');
    const first = await rollout(['n1', 'n2', 'n3'], { goal: 'boot', parallel: 1 });
    expect(Object.fromEntries(first.hosts.map((h) => [h.host, h.outcome]))).toEqual({ n1: 'applied-for-next-boot', n2: 'rolled-back', n3: 'not-started' });
    fake.failing.clear();
    fake.opened.length = fake.deployed.length = 0;
    const resume = records.rollout(first.id)!;
    const r = await rollout(['n1', 'n2', 'n3'], { resume, parallel: 1 });
    expect(r.outcome).toBe('succeeded');
    expect(fake.deployed).toEqual(['n2', 'n3']);
    expect(new Set(fake.opened.map((o) => `${o.host} ${o.goal}`))).toEqual(new Set(['n2 boot', 'n3 boot']));
    expect(r.hosts.map((h) => h.outcome)).toEqual(Array(3).fill('applied-for-next-boot'));
  });
});

describe("each host's AFTER generation", () => {
  it('is the one its deploy read back from the host, not the number its plan predicted: in the records, the table and the JSON', async () => {
    // Every plan predicts generation 2 (one above the current 1); n2's profile has higher
    // generations left by a rollback, so nix-env makes it 5; n3 fails and is rolled back to 1.
    fake.made.set('n2', 5);
    const ok = await rollout(['n1', 'n2'], { canary: 1 });
    expect(ok.exitCode, ok.message).toBe(ExitCode.ok);
    const next = uiPlan().generations.next!;
    expect(ok.hosts.map((h) => [h.host, h.before?.number, h.after])).toEqual([
      ['n1', 1, { number: 2, storePath: next.storePath }],
      ['n2', 1, { number: 5, storePath: next.storePath }],
    ]);
    expect(records.rollout(ok.id)!.hosts.find((h) => h.host === 'n2')?.after).toEqual({ number: 5, storePath: next.storePath });
    expect(renderRollout(ok)).toMatch(/^n2\s+2\s+1\s+5\s+succeeded\s+deployed n2: generation 5 is healthy/m);
    const json = JSON.parse(rolloutJson(ok)) as { hosts: Array<{ host: string; after: { number: number; storePath: string } | null }> };
    expect(json.hosts.find((h) => h.host === 'n2')?.after).toEqual({ number: 5, storePath: next.storePath });

    fake.failing.add('n3');
    const failed = await rollout(['n1', 'n3'], { canary: 1, rollbackAll: true });
    expect(failed.exitCode).toBe(ExitCode.failed);
    // The host a rollback took back is on the generation it had, as is the one reverted after it.
    expect(failed.hosts.map((h) => [h.host, h.outcome, h.after?.number])).toEqual([
      ['n1', 'reverted', 1],
      ['n3', 'rolled-back', 1],
    ]);
  });
});
