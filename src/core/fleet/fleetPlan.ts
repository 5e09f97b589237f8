// A fleet plan: every selected host's plan (read-only, as `plan HOST` makes it), the waves a
// rollout will take, and the production gates as they stand. What `plan --on` shows and what a
// fleet runbook holds, so `apply --runbook` can run it exactly as reviewed.
import type { Goal, Host } from '../inventory/schema.js';
import type { Plan } from '../plan/schema.js';
import { planHost } from '../pipeline/planHost.js';
import { checkGates, type GateFacts, type GateResult } from '../deploy/gates.js';
import { canaryCount, planWaves, type Wave } from './waves.js';
import { boundedAll } from './bounded.js';
import { assertFleetGoal } from './goal.js';
import { PlanMemo } from '../pipeline/planMemo.js';

export interface FleetPlanRequest {
  flakeDir: string;
  selector: string;
  hosts: Host[];
  /** Every host of the inventory (the gates look for staging hosts outside the selection). */
  inventory: Host[];
  parallel: number;
  canary?: number;
  redact: (text: string) => string;
  sshConfig?: string;
  /** The revision each host last got (the records), as `plan HOST` measures from it. */
  lastDeployedRev: (host: string) => string | null;
  gates: GateFacts;
  /** --goal: every host planned with it (each NixOS, or refused); default: each host's inventory goal. Each plan records its goal. */
  goal?: Goal;
}

export interface FleetPlan {
  selector: string;
  options: { parallel: number; canary: number };
  /** Host names per wave, canary first: hosts with something to deploy only. */
  waves: string[][];
  hosts: Array<{ name: string; plan: Plan; gates: GateResult[] }>;
}

export async function planFleet(req: FleetPlanRequest): Promise<FleetPlan> {
  assertFleetGoal(req.goal, req.hosts);
  const memo = new PlanMemo();
  const plans = await boundedAll(req.hosts, req.parallel, (h) =>
    planHost({
      memo,
      flakeDir: req.flakeDir,
      hostName: h.name,
      sshConfig: req.sshConfig,
      redact: req.redact,
      lastDeployedRev: req.lastDeployedRev(h.name),
      ...(req.goal ? { goal: req.goal } : {}),
    }),
  );
  const hosts = req.hosts.map((h, i) => {
    const plan = plans[i]!;
    const gates = h.environment === 'production' && plan.status === 'ready' ? checkGates(plan, h, req.inventory, req.gates) : [];
    return { name: h.name, plan, gates };
  });
  const ready = req.hosts.filter((_, i) => plans[i]!.status === 'ready');
  const waves: Wave[] = planWaves(ready, { parallel: req.parallel, ...(req.canary !== undefined ? { canary: req.canary } : {}) });
  return { selector: req.selector, options: { parallel: req.parallel, canary: canaryCount(waves) }, waves: waves.map((w) => w.hosts), hosts };
}
