// Plans and runbooks for tests: a deterministic plan of an ssh host, and the edits someone could
// make to a runbook's JSON before recomputing its hash (what issue 11 is about).
import { makePlan, type Analysis } from '../../src/core/plan/planner.js';
import { planHash } from '../../src/core/plan/hash.js';
import type { Plan, Step } from '../../src/core/plan/schema.js';
import { sshTestHost } from './testHost.js';

export const CURRENT_STORE_PATH = '/nix/store/0c7vs2mgn8d1yyq9dqb6pwz6h1yfrrl3-home-manager-generation';
export const NEXT_STORE_PATH = '/nix/store/1d8wz3nhp9f2zzr0frc7qxa7j2zgssm4-home-manager-generation';
/** A store path nobody planned. */
export const EVIL_STORE_PATH = `/nix/store/${'a'.repeat(32)}-home-manager-generation`;

export const planHost = sshTestHost({ channels: ['discord', 'telegram'], runtimePlugins: ['discord'] });
export const planCtx = { host: planHost, storeUrl: 'ssh://root@10.213.1.2', flakeDir: '/src/flake' };

/** A ready plan: generation 4 is current, the flake builds NEXT_STORE_PATH. */
export function testPlan(over: Partial<Analysis> = {}): Plan {
  return makePlan({
    host: planHost,
    ctx: planCtx,
    flake: { base: { rev: null, source: 'none' }, target: { rev: null, dirty: false }, lockHash: null },
    current: { number: 4, storePath: CURRENT_STORE_PATH },
    nextStorePath: NEXT_STORE_PATH,
    changes: [],
    findings: [],
    ...over,
  });
}

/** The plan with its steps edited and its hash recomputed, as a careful tamperer would. */
export function tampered(plan: Plan, edit: (steps: Plan['steps']) => void): Plan {
  const copy = structuredClone(plan);
  edit(copy.steps);
  copy.hash = planHash(copy as unknown as Record<string, unknown>);
  return copy;
}

const swap = (steps: Step[], a: string, b: string) => {
  const i = steps.findIndex((s) => s.action === a);
  const j = steps.findIndex((s) => s.action === b);
  [steps[i], steps[j]] = [steps[j]!, steps[i]!];
};

/** Each edit of issue 11, what `verify` must name, and what the plan invariants must say (when they can see it). */
export const TAMPERINGS: Array<{ what: string; edit: (steps: Plan['steps'], plan: Plan) => void; names: RegExp[] }> = [
  {
    what: 'steps reordered',
    edit: (s) => swap(s.apply, 'set-profile', 'activate'),
    names: [
      /apply steps reordered: build, (copy-closure, )?activate, set-profile in the runbook; build, (copy-closure, )?set-profile, activate planned/,
      /apply must set the profile before it activates/,
    ],
  },
  {
    what: 'a step added',
    edit: (s, plan) =>
      s.validate.push({
        id: `validate-${s.validate.length + 1}`,
        action: 'list-generations',
        args: { profile: plan.host.profile },
        on: 'host',
        risk: 'read',
        reason: 'harmless-looking',
        argv: ['nix-env', '--profile', plan.host.profile!, '--list-generations'],
      }),
    names: [/validate step \d+ \(list-generations\) added: it is not planned/],
  },
  {
    what: 'every validation step removed',
    edit: (s) => void s.validate.splice(0),
    names: [/validate step gateway-status removed/, /validate step channels-probe removed/, /validation must probe the channels/, /validation must check the gateway/],
  },
  {
    what: 'the set-profile store path changed',
    edit: (s) => {
      const set = s.apply.find((x) => x.action === 'set-profile')!;
      set.args['storePath'] = EVIL_STORE_PATH;
      set.argv = [...set.argv.slice(0, -1), EVIL_STORE_PATH];
    },
    names: [
      /apply step \d \(set-profile\): store path \/nix\/store\/a{32}-home-manager-generation in the runbook, \/nix\/store\/\w{32}-\S+ planned/,
      /apply must set the profile exactly once, to the planned build/,
    ],
  },
  {
    what: 'the rollback target changed',
    edit: (s) => {
      const back = s.rollback.find((x) => x.action === 'switch-generation')!;
      const to = (back.args['generation'] as number) + 7;
      back.args['generation'] = to;
      back.argv = [...back.argv.slice(0, -1), String(to)];
    },
    names: [/rollback step 1 \(switch-generation\): generation \d+ in the runbook, \d+ planned/, /rollback must switch back to generation \d+/],
  },
];
