// Rollback and drill behind the same door as deploys (service.ts): a deploy in progress refuses,
// an interrupted one is said (a rollback is its way out) or refuses (a drill), production is never
// pre-approved, and the last known good generation comes from the records. Events name the host.
import type { DrillLedger } from './ledger.js';
import type { DeployDeps } from './apply.js';
import { UserError } from '../errors.js';
import { interruption } from './interrupted.js';
import { rollbackHost, type RollbackOptions } from './rollback.js';
import { drillHost } from './drill.js';
import type { HostEvent, ServiceDeps } from './service.js';

export interface RollbackRequest extends Omit<RollbackOptions, 'lastKnownGood'> {
  /** --yes: a production rollback still asks for the host name. */
  preApproved?: boolean;
  /** How the caller's user resumes an interrupted deploy ("/resume" in the ink session). */
  resumeHint?: string;
}

function withHostEvents(deploy: DeployDeps, host: string, on: (e: HostEvent) => void): DeployDeps {
  return { ...deploy, onEvent: (event) => on({ host, type: 'deploy', event }) };
}

export async function rollbackThroughService(req: RollbackRequest, deps: ServiceDeps, on: (e: HostEvent) => void = () => undefined) {
  const name = req.host.name;
  if (req.preApproved && req.host.environment === 'production') throw new UserError('--yes pre-approves staging hosts only: a production rollback asks for the host name');
  // Rolling back is one of the two ways out of an interrupted deploy; a running one refuses.
  const unfinished = interruption(deps.records, name, req.resumeHint);
  if (unfinished?.running) throw new UserError(unfinished.message);
  if (unfinished) on({ host: name, type: 'notice', tone: 'warn', text: unfinished.message });
  return rollbackHost({ ...req, lastKnownGood: deps.records.knownGood(name) }, withHostEvents(deps.deploy, name, on));
}

export async function drillThroughService(
  req: { host: RollbackOptions['host']; flakeDir: string },
  deps: ServiceDeps & { deploy: DeployDeps & { drills: DrillLedger } },
  on: (e: HostEvent) => void = () => undefined,
) {
  const name = req.host.name;
  // A drill rolls back and forward: not on a host left half-deployed.
  const unfinished = interruption(deps.records, name);
  if (unfinished) throw new UserError(unfinished.message);
  return drillHost({ ...req, knownGood: deps.records.knownGood(name) }, { ...withHostEvents(deps.deploy, name, on), drills: deps.deploy.drills });
}
