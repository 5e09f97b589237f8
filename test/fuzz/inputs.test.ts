// Property: every input format clawdeploy reads (flake.lock, an inventory entry, a runbook's JSON,
// the policy YAML, a model's tool-call JSON) either parses or is refused with a one-line UserError
// naming the file or field: never another exception, never a stack trace. Inputs are random, and
// valid documents cut short or with a random value put at a random place.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseLock } from '../../src/core/analysis/lockSchema.js';
import { parseRunbook } from '../../src/core/deploy/runbookCheck.js';
import { loadPolicy, POLICY_FILE } from '../../src/core/exec/policy/index.js';
import { HostEntry } from '../../src/core/inventory/schema.js';
import { resolveHost } from '../../src/core/inventory/load.js';
import { checkProposal } from '../../src/core/assistant/proposal.js';
import { runbookJson } from '../../src/core/plan/runbook.js';
import { fleetRunbookJson, parseFleetRunbook } from '../../src/core/fleet/fleetRunbook.js';
import { isUserError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/fixtures.js';
import { planCtx, planHost, testPlan } from '../helpers/runbook.js';

const RUNS = { numRuns: 300 };

/** Calls `fn`; a UserError is fine if it is one line; anything else thrown fails the property. */
function refusedCleanly(fn: () => unknown, mustName: string): void {
  try {
    fn();
  } catch (e) {
    if (!isUserError(e)) throw new Error(`not a UserError: ${e instanceof Error ? e.stack : String(e)}`);
    expect(e.message).not.toContain('\n');
    expect(e.message).toContain(mustName);
    expect([2, 3]).toContain(e.exitCode);
  }
}

/** A JSON document: the valid one, cut short, or with a random value at a random path. */
function mutated(valid: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(valid, null, 2);
  const paths: Array<Array<string | number>> = [];
  const walk = (v: unknown, at: Array<string | number>) => {
    paths.push(at);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(valid, []);
  const put = (path: Array<string | number>, value: unknown): string => {
    if (!path.length) return JSON.stringify(value);
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    let o = copy;
    for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (value === undefined) delete o[last];
    else o[last] = value;
    return JSON.stringify(copy);
  };
  return fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string(), fc.integer({ min: -1, max: 99999 }))).map(([p, v]) => put(p, v)),
    fc.json(),
    fc.string(),
  );
}

const LOCK = {
  nodes: {
    root: { inputs: { 'nix-openclaw': 'nix-openclaw', nixpkgs: ['nix-openclaw', 'nixpkgs'] } },
    'nix-openclaw': {
      inputs: { nixpkgs: 'nixpkgs' },
      locked: { lastModified: 1750000000, narHash: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', owner: 'openclaw', repo: 'nix-openclaw', rev: 'd7d710b'.padEnd(40, '0'), type: 'github' },
      original: { owner: 'openclaw', repo: 'nix-openclaw', type: 'github' },
    },
    nixpkgs: {
      locked: { lastModified: 1750000000, narHash: 'sha256-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=', path: '/src/nixpkgs', type: 'path' },
      original: { path: '/src/nixpkgs', type: 'path' },
    },
  },
  root: 'root',
  version: 7,
};

describe('fuzzing every input format', () => {
  it('flake.lock', () => {
    expect(() => parseLock(JSON.stringify(LOCK), 'flake.lock')).not.toThrow();
    fc.assert(
      fc.property(mutated(LOCK), (text) => refusedCleanly(() => parseLock(text, '/f/flake.lock'), '/f/flake.lock')),
      RUNS,
    );
  });

  it("a runbook's JSON", () => {
    const valid = JSON.parse(runbookJson(testPlan(), '/src/flake')) as unknown;
    expect(() => parseRunbook(JSON.stringify(valid), 'rb.json')).not.toThrow();
    fc.assert(
      fc.property(mutated(valid), (text) => refusedCleanly(() => parseRunbook(text, '/r/deploy.json'), '/r/deploy.json')),
      RUNS,
    );
  });

  it("a fleet runbook's JSON", () => {
    const plan = testPlan();
    const valid = JSON.parse(
      fleetRunbookJson({ selector: '@edge', options: { parallel: 2, canary: 1 }, waves: [[plan.host.name]], hosts: [{ name: plan.host.name, plan, gates: [] }] }, '/src/flake'),
    ) as unknown;
    expect(() => parseFleetRunbook(JSON.stringify(valid), 'f.json')).not.toThrow();
    fc.assert(
      fc.property(mutated(valid), (text) => refusedCleanly(() => parseFleetRunbook(text, '/r/fleet.json'), '/r/fleet.json')),
      RUNS,
    );
  });

  it('an inventory entry (clawdeploy.hosts.NAME), down to the resolved host', async () => {
    const entry = {
      target: 'ssh://root@10.0.0.2',
      environment: 'staging',
      kind: 'profile',
      attribute: 'packages.x86_64-linux.default',
      profile: '/nix/var/nix/profiles/openclaw',
      gateway: { port: 18789, manager: 'none' },
    };
    await fc.assert(
      fc.asyncProperty(mutated(entry), async (text) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return; // Nix hands clawdeploy JSON: text that is not JSON never reaches the schema.
        }
        const parsed = HostEntry.safeParse(value);
        if (!parsed.success || parsed.data.kind !== 'profile') return;
        // A plain profile has no module options to evaluate: resolving it needs no Nix.
        try {
          await resolveHost('/f', 'edge', 'clawdeploy.hosts', parsed.data);
        } catch (e) {
          if (!isUserError(e)) throw e;
          expect(e.message).toMatch(/^flake \/f: .*(edge|clawdeploy\.hosts)/);
          expect(e.message).not.toContain('\n');
        }
      }),
      RUNS,
    );
  });

  it('the policy YAML', () => {
    const dir = tempDir('policy');
    const file = join(dir, POLICY_FILE);
    const rule = fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer()),
        decision: fc.oneof(fc.constantFrom('deny', 'ask', 'allow'), fc.string()),
        when: fc.option(fc.dictionary(fc.constantFrom('action', 'risk', 'environment', 'x'), fc.jsonValue())),
        reason: fc.option(fc.string()),
      },
      { requiredKeys: [] },
    );
    const doc = fc.oneof(
      fc.record({ rules: fc.array(rule, { maxLength: 3 }) }).map((d) => stringify(d)),
      fc.jsonValue().map((v) => stringify(v)),
      fc.string(),
    );
    let n = 0;
    fc.assert(
      fc.property(doc, (text) => {
        // A new directory each time: the policy cache is keyed by file and stamp.
        const d = join(dir, String(n++));
        mkdirSync(d);
        writeFileSync(join(d, POLICY_FILE), text);
        refusedCleanly(() => loadPolicy(d), join(d, POLICY_FILE));
      }),
      { numRuns: 150 },
    );
    expect(file).toContain(POLICY_FILE);
  });

  it("a model's tool-call JSON", () => {
    const reference = testPlan();
    const valid = Object.fromEntries(
      (['apply', 'validate', 'rollback'] as const).map((phase) => [phase, reference.steps[phase].map((s) => ({ action: s.action, args: s.args, reason: 'as planned' }))]),
    );
    expect(checkProposal(JSON.stringify(valid), reference, planHost, planCtx).ok).toBe(true);
    fc.assert(
      fc.property(mutated(valid), (raw) => {
        const r = checkProposal(raw, reference, planHost, planCtx);
        if (r.ok) {
          // Whatever got through still installs the planned build and probes every channel.
          expect(r.plan.steps.apply.find((s) => s.action === 'set-profile')?.args['storePath']).toBe(reference.generations.next?.storePath);
          expect(r.plan.steps.validate.filter((s) => s.action === 'channels-probe').length).toBeGreaterThan(0);
        } else {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) expect(typeof p).toBe('string');
        }
      }),
      RUNS,
    );
  });
});
