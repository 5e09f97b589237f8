// The deploy service's events in the terminal: the plan, notices, gates, and step progress through
// the CLI's progress printer (deps.deploy.onEvent).
import type { HostEvent } from '../core/deploy/service.js';
import type { CliDeps } from './deps.js';
import { renderPlanText } from './render/planText.js';
import { err, out } from './output.js';

export function printHostEvents(deps: CliDeps, o: { showPlan?: boolean; notice?: (text: string) => string } = {}): (e: HostEvent) => void {
  const notice = o.notice ?? ((text: string) => `clawdeploy: ${text}`);
  return (e) => {
    if (e.type === 'plan') {
      if (o.showPlan) out(renderPlanText(e.plan));
    } else if (e.type === 'notice') err(notice(e.text));
    else if (e.type === 'gates') for (const g of e.gates) err(`gate ${g.ok ? 'ok  ' : 'FAIL'} ${g.gate}: ${g.message}${g.fix ? ` (${g.fix})` : ''}`);
    else deps.deploy.onEvent?.(e.event);
  };
}
